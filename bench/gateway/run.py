"""bench/gateway: one upstream, three ways in (straight, through nginx, through our gateway).

    uv run python bench/gateway/run.py [--duration 8] [--connections 64] [--quick] [--json]

Starts Debian's nginx as the upstream (a fixed 96-byte JSON, plus the JWKS and revocation feed
the gateway's auth reads), a second nginx as a reverse proxy in front of it, and our gateway
(``fountainai.gateway.app:create_app`` under uvicorn, every feature on) if it is built. Drives
each with ``wrk`` (full load), then with an open-loop generator at a fixed rate (half load: half
the slower proxy's throughput) to get the latency a proxy adds. Prints req/s, p50/p99, the added
latency, peak RSS, ``ratio ours/nginx`` and PASS/FAIL against the issue's targets. Every process
it starts is stopped, whatever happens. See README.md in this folder.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from gateway_checks import gateway_features, redis_script_calls, require_echo
from gateway_cpu import OthersMeter, cpu_seconds
from gateway_fixtures import ECHO_BODY, ECHO_PATH, GATEWAY_SERVICE, AuthFixtures, write_fixtures
from gateway_load import run_wrk
from gateway_openloop import run_fixed_rate
from gateway_report import Results, Row, format_table
from gateway_servers import (
    GATEWAY_APP,
    BenchFailure,
    RssSampler,
    Server,
    fountain_gateway,
    gateway_env,
    nginx_proxy,
    nginx_upstream,
    require_tools,
)

PROXIED_PATH = f"/{GATEWAY_SERVICE}{ECHO_PATH}"
DEFAULT_MAX_RATE = 3000.0  # what the open-loop generator sends on time on one core here


@dataclass(frozen=True)
class CpuPlan:
    """Which CPUs the load side (wrk, generator, upstream) and the proxy under test get."""

    load: list[int] | None
    proxy: list[int] | None
    description: str


def cpu_plan(workers: int, *, pin: bool) -> CpuPlan:
    cpus = sorted(os.sched_getaffinity(0))
    if not pin:
        return CpuPlan(None, None, "not pinned (--no-pin): every process on every CPU")
    if len(cpus) < workers + 1:
        reason = f"{len(cpus)} CPUs for {workers} proxy worker(s) plus the load side"
        return CpuPlan(None, None, f"not pinned: {reason}")
    load, proxy = cpus[:1], cpus[1 : 1 + workers]
    return CpuPlan(
        load,
        proxy,
        f"taskset: wrk, the load generator and the upstream on CPU {load[0]}; the proxy under "
        f"test on CPU {','.join(map(str, proxy))}; Redis (the gateway's) unpinned",
    )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=8, help="seconds per measured run (8)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument("--workers", type=int, default=1, help="nginx proxy and gateway workers")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each run (2)")
    parser.add_argument("--rate", type=float, help="half-load rate, req/s (default: see README)")
    parser.add_argument(
        "--max-rate", type=float, default=DEFAULT_MAX_RATE, help="cap on the half-load rate"
    )
    parser.add_argument("--quick", action="store_true", help="2 s runs, 1 s warm-ups")
    parser.add_argument("--no-pin", action="store_true", help="do not pin with taskset")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup = 2, 1
    return args


def measure_full(
    row: Row,
    server: Server,
    url: str,
    args: argparse.Namespace,
    *,
    servers: list[Server],
    count_scripts: bool,
    **kw: Any,
) -> int | None:
    """wrk warm-up (discarded), then the measured run; the peak RSS of ``server`` meanwhile.
    With ``count_scripts``, returns the Redis scripts run during the measured run."""
    log(f"full load: {row.setup} ({args.warmup} s warm-up + {args.duration} s)")
    scripts_before = scripts_after = None
    with RssSampler(server) as rss:
        run_wrk(url, duration_s=args.warmup, connections=args.connections, **kw)
        scripts_before = redis_script_calls() if count_scripts else None
        pids = server.pids()
        cpu_before = cpu_seconds(pids)
        with OthersMeter(servers) as others:
            row.full = run_wrk(url, duration_s=args.duration, connections=args.connections, **kw)
        row.cpu_us_per_request = (cpu_seconds(pids) - cpu_before) * 1e6 / max(1, row.full.requests)
        scripts_after = redis_script_calls() if count_scripts else None
    row.rss_mib = max(row.rss_mib or 0.0, rss.peak_mib)
    row.others_pct = max(row.others_pct or 0.0, others.others_pct)
    if scripts_before is None or scripts_after is None:
        return None
    return scripts_after - scripts_before


def measure_half(
    row: Row,
    server: Server,
    url: str,
    rate: float,
    args: argparse.Namespace,
    *,
    servers: list[Server],
    auth: AuthFixtures,
) -> None:
    log(f"half load: {row.setup} at {rate:,.0f} req/s for {args.duration} s")
    with RssSampler(server) as rss, OthersMeter(servers) as others:
        row.half = run_fixed_rate(
            url,
            authorization=auth.header,
            body_length=len(ECHO_BODY),
            rate=rate,
            duration_s=args.duration,
            warmup_s=args.warmup / 2,
            max_connections=args.connections,
        )
    row.rss_mib = max(row.rss_mib or 0.0, rss.peak_mib)
    row.others_pct = max(row.others_pct or 0.0, others.others_pct)


def half_rate(args: argparse.Namespace, proxies: list[Row]) -> tuple[float, str]:
    """The half-load rate and how it was chosen."""
    if args.rate:
        return args.rate, "--rate"
    measured = [row for row in proxies if row.full is not None]
    if not measured:
        return args.max_rate / 2, "no proxy measured: half of --max-rate"
    slowest = min(measured, key=lambda row: row.full.requests_per_s if row.full else 0.0)
    assert slowest.full is not None
    rate = slowest.full.requests_per_s / 2
    basis = f"half the {slowest.setup}'s full-load req/s, the slower proxy"
    if rate > args.max_rate:
        return args.max_rate, f"{basis} would be {rate:,.0f}: capped by --max-rate"
    return rate, basis


def start_gateway(
    stack: contextlib.ExitStack,
    workdir: Path,
    upstream: Server,
    auth: AuthFixtures,
    args: argparse.Namespace,
    plan: CpuPlan,
) -> tuple[Server | None, str]:
    """Our gateway, or why it is not there."""
    if importlib.util.find_spec(GATEWAY_APP.split(":")[0]) is None:
        return None, "gateway: not built yet"
    env = gateway_env(workdir, upstream=upstream, issuer=auth.issuer, audience=auth.audience)
    log("starting the gateway")
    try:
        server = stack.enter_context(
            fountain_gateway(workdir, env=env, workers=args.workers, cpus=plan.proxy)
        )
        url = server.base_url + PROXIED_PATH
        require_echo("gateway", url, authorization=auth.header, expected=ECHO_BODY)
    except BenchFailure as exc:
        log(f"gateway: did not work: {exc}")
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        summary = lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1]}"
        return None, f"gateway: did not work: {summary}"
    return server, ""


def bench(args: argparse.Namespace) -> Results:
    require_tools("wrk", "taskset")
    plan = cpu_plan(args.workers, pin=not args.no_pin)
    if plan.load is not None:
        os.sched_setaffinity(0, plan.load)  # this process drives the half load
    direct, nginx, gateway = Row("direct"), Row("nginx proxy"), Row("gateway (ours)")
    settings: dict[str, Any] = {
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start",
        "pinning": plan.description,
        "connections": args.connections,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "workers": args.workers,
    }
    checks: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="fountain-bench-gateway-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        workdir = Path(tmp)
        upstream = stack.enter_context(nginx_upstream(workdir, echo_body=ECHO_BODY, cpus=plan.load))
        auth = write_fixtures(workdir, upstream_url=upstream.base_url)
        proxy = stack.enter_context(
            nginx_proxy(workdir, upstream=upstream, workers=args.workers, cpus=plan.proxy)
        )
        ours, gateway.note = start_gateway(stack, workdir, upstream, auth, args, plan)
        setups = [(direct, upstream, upstream.base_url + ECHO_PATH)]
        setups.append((nginx, proxy, proxy.base_url + PROXIED_PATH))
        if ours is not None:
            setups.append((gateway, ours, ours.base_url + PROXIED_PATH))
            checks += gateway_features(ours.base_url, PROXIED_PATH, authorization=auth.header)
        for row, _server, url in setups:
            require_echo(row.setup, url, authorization=auth.header, expected=ECHO_BODY)
        wrk = {"authorization": auth.header, "cpus": plan.load}
        servers = [server for _row, server, _url in setups]
        for row, server, url in setups:
            scripts = measure_full(
                row, server, url, args, servers=servers, count_scripts=row is gateway, **wrk
            )
            if row is gateway and row.full is not None:
                ran = "Redis unreachable" if scripts is None else f"{scripts:,}"
                checks.append(
                    f"Redis scripts run (by anyone) during the gateway's measured wrk run: {ran}, "
                    f"for {row.full.requests:,} requests"
                )
        rate, basis = half_rate(args, [nginx, gateway])
        settings.update(half_rate=rate, half_rate_basis=basis)
        for row, server, url in setups:
            measure_half(row, server, url, rate, args, servers=servers, auth=auth)
        for started in (upstream, proxy, ours):
            if started is not None and started.process.poll() is not None:
                checks.append(f"{started.name} exited during the run: {started.log_tail()}")
    return Results(direct, nginx, gateway, settings, checks)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through every ``with``: the servers are stopped


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        results = bench(args)
    except BenchFailure as exc:
        log(f"bench/gateway: {exc}")
        return 1
    except KeyboardInterrupt:
        log("bench/gateway: interrupted; every server stopped")
        return 130
    print(results.as_json() if args.json else format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
