"""Sequence-number allocation throughput of the Central Sequence service, end to end.

Run with ``uv run python bench/sequence_alloc.py [--backend sqlite|postgres|both] [--requests N]
[--clients 32] [--workers 1] [--batch-size 100]``. For each backend the service runs as a real
uvicorn subprocess on 127.0.0.1 (SQLite in a temp dir, or a throwaway PostgreSQL database dropped
afterwards), beside a real KMS (SQLite in the same temp dir) whose tokens it verifies: the seed's
admin is registered and logged in, and every request carries its bearer token (refreshed in the
background before it expires). After a warm-up, ``--clients`` concurrent aiohttp clients (one
pooled session) allocate numbers in three scenarios: "spread" (each client its own script),
"contended" (every client in one script), both one element per request, and "batched" (each
client its own script, ``--batch-size`` elements per ``POST /api/v1/sequence/batch``). Each
scenario is then read back through the list endpoint: every script's order must be exactly 1..n,
holding each element at the number it was answered. Reported: elements allocated/s, per-request
latency, the server's peak RSS, CPU per allocation (server, client, PostgreSQL, KMS), PostgreSQL
lock waits, and the issue's target (>= 2,000/s on PostgreSQL with 32 clients). Exits 1 only when
a server does not start or a read-back is wrong; a missed target is reported, not failed. A
scenario stops early at ``--max-seconds`` (12), so the defaults take at most about two minutes.

The server processes and their costs live in ``sequence_alloc_server.py``, the clients and the
read-back in ``sequence_alloc_load.py``, logins and token refresh in ``kms_client.py`` (all beside
this script, so importable when it runs).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from kms_client import BearerAuth, bootstrap_admin, kept_fresh
from sequence_alloc_load import Run, drive, plan, verify
from sequence_alloc_server import (
    CPUS,
    BenchFailure,
    CpuSnapshot,
    Server,
    free_port,
    postgres_database,
    running_kms,
    running_server,
    session_sampler,
    wait_ready,
)

TARGET_PER_SECOND = 2_000
SPREAD_SCRIPTS, CONTENDED_SCRIPT, WARMUP_SCRIPTS = 1_000, 2_000, 3_000  # script ids
BATCHED_SCRIPTS = 5_000  # its warm-up at 8_000: clear of the others' (3_000, 4_000 + client)
REQUEST_TIMEOUT_S, WARMUP_MAX_S = 30.0, 5.0


# --- one backend, all scenarios -----------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    backend: str
    scenario: str
    run: Run
    per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    peak_rss_mib: float
    cpu_ms_per_alloc: dict[str, float]  # server, client, (PostgreSQL only) db, kms
    others_percent: float  # of the machine's CPU, used by processes outside this benchmark
    db_sessions: dict[str, float]
    problems: list[str] = field(default_factory=list)


def summarize(
    backend: str, scenario: str, run: Run, server: Server, *, used: dict[str, float]
) -> Result:
    ordered = sorted(run.latencies) or [0.0]
    done = max(len(run.answered), 1)
    parts = ["server", "client", *(["db"] if backend == "postgres" else []), "kms"]
    ours = used["server"] + used["client"] + used["db"] + used["kms"]
    return Result(
        backend=backend,
        scenario=scenario,
        run=run,
        per_second=len(run.answered) / run.elapsed,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        max_ms=ordered[-1] * 1000,
        peak_rss_mib=server.peak_rss_mib(),
        cpu_ms_per_alloc={part: used[part] * 1000 / done for part in parts},
        others_percent=max(0.0, 100 * (used["machine"] - ours) / (run.elapsed * CPUS)),
        db_sessions={},
    )


async def bench_backend(
    backend: str, args: argparse.Namespace, workdir: Path
) -> tuple[list[Result], BearerAuth]:
    async with contextlib.AsyncExitStack() as stack:
        if backend == "postgres":
            database_url = await stack.enter_async_context(postgres_database())
        else:
            database_url = f"sqlite+aiosqlite:///{workdir / 'sequence.db'}"
        kms = stack.enter_context(running_kms(workdir, port=free_port()))
        server = stack.enter_context(
            running_server(
                database_url, workers=args.workers, workdir=workdir, kms_url=kms.base_url
            )
        )
        http = await stack.enter_async_context(
            aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=args.clients + 4),
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
            )
        )
        await wait_ready(http, kms)
        await wait_ready(http, server)
        tokens = await bootstrap_admin(http, kms.base_url)
        auth = await stack.enter_async_context(kept_fresh(http, kms.base_url, tokens))
        ids = itertools.count(1)
        spread = [SPREAD_SCRIPTS + client for client in range(args.clients)]
        contended = [CONTENDED_SCRIPT] * args.clients
        batched = [BATCHED_SCRIPTS + client for client in range(args.clients)]
        # (name, scripts, its warm-up's scripts, elements per request: None = one, unbatched)
        scenarios: list[tuple[str, list[int], list[int], int | None]] = [
            ("spread", spread, [s + WARMUP_SCRIPTS for s in spread], None),
            ("contended", contended, [WARMUP_SCRIPTS] * args.clients, None),
            ("batched", batched, [s + WARMUP_SCRIPTS for s in batched], args.batch_size),
        ]
        # Warm-up in scripts of its own: fills the pools, statement caches and imports.
        for _, _, warmup, batch_size in scenarios:
            plans = plan(warmup, total=args.warmup, ids=ids)
            await drive(
                http,
                server.base_url,
                plans,
                auth=auth,
                seconds=WARMUP_MAX_S,
                batch_size=batch_size,
            )
        results = []
        for scenario, scripts, _, batch_size in scenarios:
            plans = plan(scripts, total=args.requests, ids=ids)
            sessions: dict[str, float] = {}
            before = CpuSnapshot.take(server, kms)
            async with contextlib.AsyncExitStack() as sampling:
                if backend == "postgres":
                    await sampling.enter_async_context(session_sampler(database_url, sessions))
                run = await drive(
                    http,
                    server.base_url,
                    plans,
                    auth=auth,
                    seconds=args.max_seconds,
                    batch_size=batch_size,
                )
            used = CpuSnapshot.take(server, kms).used_since(before)
            result = summarize(backend, scenario, run, server, used=used)
            result.db_sessions.update(sessions)
            result.problems.extend(await verify(http, server.base_url, auth, run))
            results.append(result)
        return results, auth
    raise AssertionError("unreachable")


# --- report -------------------------------------------------------------------------------------


def report(results: list[Result], args: argparse.Namespace) -> None:
    print(
        f"\n{args.clients} concurrent clients, up to {args.requests} allocations or "
        f"{args.max_seconds:g} s per scenario, uvicorn --workers {args.workers}, "
        f"{CPUS} CPUs shared by client, server, KMS and database; every request carries a "
        "bearer token"
    )
    print(
        f"{'backend':<9}{'scenario':<10}{'allocs':>7}{'el/req':>7}{'alloc/s':>9}{'p50 ms':>8}"
        f"{'p99 ms':>8}{'max ms':>8}{'peak RSS MiB':>13}  {'CPU ms/alloc srv/cli/db/kms':<28}"
        f"{'others':>6}  order"
    )
    for r in results:
        cpu = "/".join(f"{value:.2f}" for value in r.cpu_ms_per_alloc.values())
        print(
            f"{r.backend:<9}{r.scenario:<10}{len(r.run.answered):>7}"
            f"{r.run.elements_per_request():>7.4g}{r.per_second:>9.0f}{r.p50_ms:>8.1f}"
            f"{r.p99_ms:>8.1f}{r.max_ms:>8.1f}{r.peak_rss_mib:>13.1f}  {cpu:<28}"
            f"{r.others_percent:>5.0f}%  {'1..n ok' if not r.problems else 'WRONG'}"
        )
    print(
        f"el/req: elements one request carries, on average (batched: up to --batch-size "
        f"{args.batch_size});\nallocs, alloc/s, CPU ms/alloc: per element; p50/p99/max ms: per "
        "request.\n"
        "peak RSS: VmHWM summed over the sequence service's uvicorn process and its workers, "
        "since start.\n"
        "CPU: server processes / this client / all postgres processes (SQLite is in the server) / "
        "the KMS\n(its JWKS and revocation feed, polled by the server every 5 s).\n"
        "others: the machine's CPU used outside this benchmark; well above 0% means noisy figures."
    )
    for r in results:
        if len(r.run.answered) < r.run.planned and not r.run.errors:
            print(f"{r.backend} {r.scenario}: stopped at --max-seconds {args.max_seconds:g}")
        if r.db_sessions:
            s = r.db_sessions
            print(
                f"{r.backend} {r.scenario}: PostgreSQL sessions on average: {s['lock_wait']:.1f} "
                f"waiting on a lock, {s['active']:.1f} running, {s['idle_in_txn']:.1f} idle "
                "in a transaction (waiting on the service)"
            )
        for problem in r.problems:
            print(f"CORRECTNESS FAILURE {r.backend} {r.scenario}: {problem}")
    for backend in dict.fromkeys(r.backend for r in results):
        mine = [r for r in results if r.backend == backend]
        rates = ", ".join(f"{r.scenario} {r.per_second:,.0f}/s" for r in mine)
        verdict = "orders verified 1..n" if not any(r.problems for r in mine) else "ORDER WRONG"
        peak = max(r.peak_rss_mib for r in mine)
        print(
            f"SUMMARY {backend} workers={args.workers}: {rates}; {verdict}; peak RSS {peak:.0f} MiB"
        )
        if backend == "postgres":
            for r in mine:
                met = "met" if r.per_second >= TARGET_PER_SECOND else "NOT met"
                print(
                    f"TARGET >= {TARGET_PER_SECOND:,}/s on PostgreSQL with {args.clients} clients, "
                    f"{label(r, args.batch_size)}: {met} ({r.per_second:,.0f}/s)"
                )


def label(result: Result, batch_size: int) -> str:
    """The scenario's name; for "batched", how many elements one request carried."""
    if result.scenario != "batched":
        return result.scenario
    per_request = result.run.elements_per_request()
    if per_request == batch_size:
        return f"batched ({batch_size} per request)"
    return f"batched (up to {batch_size} per request, {per_request:.1f} on average)"


async def bench(args: argparse.Namespace) -> tuple[list[Result], list[str]]:
    """Every backend's results, and a line per backend on its bearer token's refreshes."""
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results: list[Result] = []
    notes: list[str] = []
    for backend in backends:
        workdir = Path(tempfile.mkdtemp(prefix=f"fountain-bench-{backend}-"))
        try:
            mine, auth = await bench_backend(backend, args, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        results += mine
        failed = f"; {len(auth.failures)} failed, e.g. {auth.failures[0]}" if auth.failures else ""
        lifetime = auth.tokens.expires_in
        notes.append(
            f"{backend}: one admin token ({lifetime:.0f} s lifetime), refreshed "
            f"{auth.refreshes} times{failed}"
        )
    return results, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=3000, help="allocations per scenario")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--warmup", type=int, default=320, help="allocations per warm-up scenario")
    parser.add_argument("--max-seconds", type=float, default=12.0, help="cap per scenario")
    parser.add_argument(
        "--batch-size", type=int, default=100, help="elements per request in the batched scenario"
    )
    args = parser.parse_args()
    if min(args.requests, args.clients, args.workers, args.warmup, args.batch_size) < 1:
        parser.error(
            "--requests, --clients, --workers, --warmup and --batch-size must be at least 1"
        )
    try:
        results, notes = asyncio.run(bench(args))
    except BenchFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    report(results, args)
    for note in notes:
        print(f"AUTH {note}")
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
