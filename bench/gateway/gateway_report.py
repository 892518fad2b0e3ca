"""The figures of bench/gateway, the issue's three targets, and how they are printed (a table or
JSON)."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from gateway_load import FullLoad
from gateway_openloop import FixedRate

MIN_RATIO = 0.6  # our req/s over nginx's, at full load
MAX_ADDED_P99_MS = 2.0  # at half load
MAX_RSS_MB = 150.0  # 10^6 bytes, of the gateway's processes together
MIB = 1024 * 1024


@dataclass
class Row:
    """One setup: its full-load and half-load figures, peak RSS, or why it has none."""

    setup: str
    full: FullLoad | None = None
    half: FixedRate | None = None
    rss_mib: float | None = None
    cpu_us_per_request: float | None = None  # the setup's processes, at full load
    others_pct: float | None = None  # CPU share of processes outside the bench (max of its runs)
    note: str = ""

    def added_ms(self, direct: Row) -> tuple[float, float] | None:
        """Latency at half load through this setup minus straight to the upstream (p50, p99)."""
        if self.half is None or direct.half is None or self is direct:
            return None
        return self.half.p50_ms - direct.half.p50_ms, self.half.p99_ms - direct.half.p99_ms

    def failures(self) -> int:
        full = self.full.non_2xx + self.full.socket_errors if self.full else 0
        return full + (self.half.failures if self.half else 0)


@dataclass
class Verdict:
    target: str
    value: str
    passed: bool | None  # None: not measured


@dataclass
class Results:
    direct: Row
    nginx: Row
    gateway: Row
    settings: dict[str, Any]
    checks: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        ours, theirs = self.gateway.full, self.nginx.full
        if ours is None or theirs is None or theirs.requests_per_s <= 0:
            return None
        return ours.requests_per_s / theirs.requests_per_s

    def verdicts(self) -> list[Verdict]:
        gateway, clean = self.gateway, self.gateway.failures() == 0 and self.nginx.failures() == 0
        ratio, added = self.ratio, gateway.added_ms(self.direct)
        half = gateway.half
        late = "" if half is None or half.kept_up else " (the generator sent late: noisy)"
        return [
            Verdict(
                f"ratio ours/nginx >= {MIN_RATIO}",
                "-" if ratio is None else f"{ratio:.2f}",
                None if ratio is None else clean and ratio >= MIN_RATIO,
            ),
            Verdict(
                f"gateway-added p99 <= {MAX_ADDED_P99_MS:g} ms at half load",
                "-" if added is None or half is None else f"{added[1]:.2f} ms{late}",
                None if added is None else clean and added[1] <= MAX_ADDED_P99_MS,
            ),
            Verdict(
                f"gateway RSS < {MAX_RSS_MB:g} MB",
                "-" if gateway.rss_mib is None else f"{gateway.rss_mib * MIB / 1e6:.1f} MB",
                None if gateway.rss_mib is None else gateway.rss_mib * MIB / 1e6 < MAX_RSS_MB,
            ),
        ]

    def as_json(self) -> str:
        rows = {}
        for row in (self.direct, self.nginx, self.gateway):
            added = row.added_ms(self.direct)
            rows[row.setup] = {
                **asdict(row),
                "added_p50_ms": None if added is None else added[0],
                "added_p99_ms": None if added is None else added[1],
            }
        verdicts = [asdict(verdict) for verdict in self.verdicts()]
        document = {
            "settings": self.settings,
            "rows": rows,
            "ratio": self.ratio,
            "targets": verdicts,
            "checks": self.checks,
        }
        return json.dumps(_finite(document), indent=2, allow_nan=False)


def _finite(value: Any) -> Any:
    """``value`` with NaN (no samples) as null: JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.2f}"


def format_table(results: Results) -> str:
    """The table, the half-load detail, ``ratio ours/nginx = X.XX`` and the targets."""
    settings = results.settings
    lines = [
        f"bench/gateway: {settings['machine']}",
        f"  {settings['pinning']}",
        f"  full load: wrk -t1 -c{settings['connections']} -d{settings['duration_s']}s "
        f"(after {settings['warmup_s']} s warm-up); half load: open loop (httptools client) at "
        f"{settings['half_rate']:,.0f} req/s for {settings['duration_s']} s "
        f"({settings['half_rate_basis']})",
        "",
    ]
    header = ["setup", "req/s", "p50 ms", "p99 ms", "added p50/p99 ms", "RSS MiB", "CPU us/req"]
    header.append("others")
    table: list[tuple[str, ...]] = [(*header, "notes")]
    for row in (results.direct, results.nginx, results.gateway):
        if row.full is None:
            table.append((row.setup, "-", "-", "-", "-", "-", "-", "-", row.note))
            continue
        added = row.added_ms(results.direct)
        notes = [row.note] if row.note else []
        if row.failures():
            notes.append(f"{row.failures()} non-2xx/errors")
        table.append(
            (
                row.setup,
                f"{row.full.requests_per_s:,.0f}",
                _ms(row.full.p50_ms),
                _ms(row.full.p99_ms),
                "-" if added is None else f"{_ms(added[0])} / {_ms(added[1])}",
                "-" if row.rss_mib is None else f"{row.rss_mib:.1f}",
                "-" if row.cpu_us_per_request is None else f"{row.cpu_us_per_request:.0f}",
                "-" if row.others_pct is None else f"{row.others_pct:.0f}%",
                "; ".join(notes),
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header) + 1)]
    for line in table:
        cells = [line[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(line[1:-1], widths[1:-1], strict=True)
        ]
        lines.append(" | ".join([*cells, line[-1]]).rstrip())
    lines += [
        "req/s, p50, p99: wrk at full load. added: p50 and p99 at half load through the proxy",
        "  minus straight to the upstream. RSS: peak, all the setup's processes (direct: the",
        "  upstream). CPU us/req: their CPU time per request at full load. others: CPU share of",
        "  processes outside the bench during the setup's runs (well above 0%: noisy figures).",
    ]
    lines.append("")
    lines.append("half load (latency from each request's start, ms):")
    for row in (results.direct, results.nginx, results.gateway):
        if row.half is not None:
            half = row.half
            late = "" if half.kept_up else "  (generator sent late: burstier than the rate)"
            lines.append(
                f"  {row.setup:<15} {half.achieved_rate:>8,.0f} req/s  p50 {_ms(half.p50_ms)}"
                f"  p99 {_ms(half.p99_ms)}  send lag p99 {_ms(half.send_lag_p99_ms)}"
                f"  failed {half.failures}{late}"
            )
    lines.extend(f"check: {check}" for check in results.checks)
    lines.append("")
    ratio = results.ratio
    lines.append(f"ratio ours/nginx = {'-' if ratio is None else f'{ratio:.2f}'}")
    for verdict in results.verdicts():
        status = {True: "PASS", False: "FAIL", None: "n/a "}[verdict.passed]
        lines.append(f"{status}  {verdict.target}: {verdict.value}")
    return "\n".join(lines)
