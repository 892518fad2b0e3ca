"""Sequence-number allocation throughput of the Central Sequence service, end to end.

Run with ``uv run python bench/sequence_alloc.py [--backend sqlite|postgres|both] [--requests N]
[--clients 32] [--workers 1]``. For each backend the service runs as a real uvicorn subprocess on
127.0.0.1 (SQLite in a temp dir, or a throwaway PostgreSQL database dropped afterwards). After a
warm-up, ``--clients`` concurrent aiohttp clients (one pooled session) allocate numbers in two
scenarios: "spread" (each client its own script) and "contended" (every client in one script).
Each scenario is then read back through the list endpoint: every script's order must be exactly
1..n, holding each element at the number its POST answered. Reported: allocations/s, latency, the
server's peak RSS, CPU per allocation (server, this client, PostgreSQL), PostgreSQL lock waits,
and the issue's target (>= 2,000/s on PostgreSQL with 32 clients). Exits 1 only when the server
does not start or a read-back is wrong; a missed target is reported, not failed. A scenario stops
early at ``--max-seconds`` (12), so the defaults take at most about 80 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine

HOST = "127.0.0.1"
POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
APP = "fountainai.services.sequence.app:create_app"
TARGET_PER_SECOND = 2_000
PAGE_SIZE = 500  # the list endpoint's largest page
SPREAD_SCRIPTS, CONTENDED_SCRIPT, WARMUP_SCRIPTS = 1_000, 2_000, 3_000  # script ids
START_TIMEOUT_S, REQUEST_TIMEOUT_S, WARMUP_MAX_S, SAMPLE_EVERY_S = 60.0, 30.0, 5.0, 0.05
CLOCK_TICKS, CPUS = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1
JSON_HEADERS = {"content-type": "application/json"}

Plan = list[tuple[int, list[int]]]  # per client: (script id, the element ids it allocates)


class BenchFailure(Exception):
    """The environment or the server failed before anything could be measured."""


# --- the server process and what it costs -------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def pids(self) -> list[int]:
        """The uvicorn process and all its descendants (the workers when --workers > 1)."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        found, frontier = [self.process.pid], {self.process.pid}
        while frontier:
            frontier = {pid for pid, parent in parents.items() if parent in frontier}
            found.extend(frontier)
        return found

    def peak_rss_mib(self) -> float:
        return sum(_status_kib(pid, "VmHWM") for pid in self.pids()) / 1024

    def cpu_seconds(self) -> float:
        return sum(_cpu_seconds(pid) for pid in self.pids())

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-3000:]
        return ""


def _status_kib(pid: int, key: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
    return 0.0


@dataclass(frozen=True)
class CpuSnapshot:
    """CPU seconds so far of the server, this client, each postgres process, the whole machine."""

    server: float
    client: float
    postgres: dict[int, float]
    machine: float

    @classmethod
    def take(cls, server: Server) -> CpuSnapshot:
        postgres: dict[int, float] = {}
        for comm in Path("/proc").glob("[0-9]*/comm"):
            with contextlib.suppress(OSError, ValueError):
                if comm.read_text().strip() == "postgres":
                    postgres[int(comm.parent.name)] = _cpu_seconds(int(comm.parent.name))
        ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        own = resource.getrusage(resource.RUSAGE_SELF)
        busy = (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS  # all but idle and iowait
        return cls(server.cpu_seconds(), own.ru_utime + own.ru_stime, postgres, busy)

    def used_since(self, before: CpuSnapshot) -> dict[str, float]:
        # Per process, so postgres backends exiting meanwhile (other users') subtract nothing.
        db = sum(cpu - before.postgres.get(pid, 0.0) for pid, cpu in self.postgres.items())
        return {
            "server": self.server - before.server,
            "client": self.client - before.client,
            "db": db,
            "machine": self.machine - before.machine,
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A throwaway database on the local server, dropped (with its connections) at the end."""
    name = f"fountain_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        try:
            async with admin.connect() as conn:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
        except (OSError, SQLAlchemyError) as exc:
            raise BenchFailure(f"PostgreSQL at {POSTGRES_ADMIN_URL} is unusable: {exc}") from exc
        try:
            yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@contextlib.contextmanager
def running_server(database_url: str, *, workers: int, workdir: Path) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "FOUNTAIN_SEQUENCE_LOG_LEVEL": "WARNING",
        "FOUNTAIN_SEQUENCE_DATABASE_URL": database_url,
        "FOUNTAIN_DATA_DIR": str(workdir),
    }
    command = [sys.executable, "-m", "uvicorn", APP, "--factory", "--host", HOST]
    command += ["--port", str(port), "--log-level", "warning", "--workers", str(workers)]
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        # Its own process group, so the workers go with it if a graceful stop hangs.
        process = subprocess.Popen(
            command, env=env, cwd=workdir, stdout=log, stderr=log, start_new_session=True
        )
    try:
        yield Server(process, f"http://{HOST}:{port}", log_path)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


async def wait_ready(http: aiohttp.ClientSession, server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and server.process.poll() is None:
        with contextlib.suppress(TimeoutError, aiohttp.ClientError):
            async with http.get(f"{server.base_url}/health/ready") as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.1)
    raise BenchFailure(f"the sequence service did not become ready:\n{server.log_tail()}")


# --- load and read-back -------------------------------------------------------------------------


@dataclass
class Run:
    """What one scenario's clients sent and were answered."""

    planned: int
    sent: dict[int, list[int]] = field(default_factory=dict)  # script -> element ids sent
    answered: dict[int, int] = field(default_factory=dict)  # element id -> number answered
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0


def plan(scripts: list[int], *, total: int, ids: Iterator[int]) -> Plan:
    """One client per entry of ``scripts``, the ``total`` allocations shared out evenly."""
    base, extra = divmod(total, len(scripts))
    shares = [base + (1 if index < extra else 0) for index in range(len(scripts))]
    return [
        (script, [next(ids) for _ in range(n)]) for script, n in zip(scripts, shares, strict=True)
    ]


async def drive(http: aiohttp.ClientSession, base_url: str, plans: Plan, *, seconds: float) -> Run:
    """One client per plan entry, each sending its allocations one after another until done or
    ``seconds`` have passed."""
    run = Run(planned=sum(len(elements) for _, elements in plans))
    url = f"{base_url}/api/v1/sequence"
    deadline = time.perf_counter() + seconds

    async def client(script: int, elements: list[int]) -> None:
        for element in elements:
            if time.perf_counter() > deadline:
                return
            run.sent.setdefault(script, []).append(element)
            body = json.dumps({"elementType": "action", "elementId": element, "scriptId": script})
            started = time.perf_counter()
            try:
                async with http.post(url, data=body, headers=JSON_HEADERS) as response:
                    payload = await response.read()
            except (TimeoutError, aiohttp.ClientError) as exc:
                run.errors.append(f"element {element}: {type(exc).__name__}")
                continue
            run.latencies.append(time.perf_counter() - started)
            if response.status != 201:
                run.errors.append(f"element {element}: HTTP {response.status} {payload[:200]!r}")
                continue
            run.answered[element] = json.loads(payload)["sequenceNumber"]

    started = time.perf_counter()
    await asyncio.gather(*(client(script, elements) for script, elements in plans))
    run.elapsed = time.perf_counter() - started
    return run


async def read_order(
    http: aiohttp.ClientSession, base_url: str, script: int
) -> tuple[int, list[dict[str, int]]]:
    """A script's order through the list endpoint, page by page: (totalCount, items)."""
    items: list[dict[str, int]] = []
    for offset in itertools.count(0, PAGE_SIZE):
        params = {"scriptId": script, "limit": PAGE_SIZE, "offset": offset}
        async with http.get(f"{base_url}/api/v1/sequence", params=params) as response:
            if response.status != 200:
                return -1, items
            page = await response.json()
        items.extend(page["items"])
        if len(page["items"]) < PAGE_SIZE:
            return int(page["totalCount"]), items
    raise AssertionError("unreachable")


async def verify(http: aiohttp.ClientSession, base_url: str, run: Run) -> list[str]:
    """Each script must read back as exactly 1..n, every element at the number it was answered."""
    problems = [f"{len(run.errors)} allocations failed, e.g. {run.errors[0]}"] if run.errors else []
    for script, elements in run.sent.items():
        total, items = await read_order(http, base_url, script)
        numbers = [item["sequenceNumber"] for item in items]
        listed = {item["elementId"]: item["sequenceNumber"] for item in items}
        if total != len(elements) or len(items) != len(elements):
            problems.append(
                f"script {script}: totalCount {total}, {len(items)} listed, {len(elements)} sent"
            )
        if numbers != list(range(1, len(numbers) + 1)):
            duplicates = len(numbers) - len(set(numbers))
            gaps = len(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
            problems.append(f"script {script}: not 1..n: {duplicates} duplicates, {gaps} gaps")
        if set(listed) != set(elements):
            problems.append(f"script {script}: the listed elements are not those allocated")
        moved = [e for e, number in run.answered.items() if e in listed and listed[e] != number]
        if moved:
            problems.append(f"script {script}: {len(moved)} elements listed at another number")
    return problems


@contextlib.asynccontextmanager
async def session_sampler(database_url: str, into: dict[str, float]) -> AsyncIterator[None]:
    """Average what the bench database's PostgreSQL sessions are doing while a scenario runs."""
    engine = create_async_engine(database_url, isolation_level="AUTOCOMMIT")
    query = text(
        "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),"
        " count(*) FILTER (WHERE state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock'),"
        " count(*) FILTER (WHERE state = 'idle in transaction')"
        " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    samples: list[tuple[int, ...]] = []

    async def sample() -> None:
        async with engine.connect() as conn:
            while True:
                samples.append(tuple((await conn.execute(query)).one()))
                await asyncio.sleep(SAMPLE_EVERY_S)

    task = asyncio.create_task(sample())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await engine.dispose()
        for index, name in enumerate(("lock_wait", "active", "idle_in_txn")):
            into[name] = statistics.fmean(s[index] for s in samples) if samples else 0.0


# --- one backend, both scenarios ----------------------------------------------------------------


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
    cpu_ms_per_alloc: dict[str, float]  # server, client and (PostgreSQL only) db
    others_percent: float  # of the machine's CPU, used by processes outside this benchmark
    db_sessions: dict[str, float]
    problems: list[str] = field(default_factory=list)


def summarize(
    backend: str, scenario: str, run: Run, server: Server, *, used: dict[str, float]
) -> Result:
    ordered = sorted(run.latencies) or [0.0]
    done = max(len(run.answered), 1)
    parts = ["server", "client", "db"] if backend == "postgres" else ["server", "client"]
    ours = used["server"] + used["client"] + used["db"]
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


async def bench_backend(backend: str, args: argparse.Namespace, workdir: Path) -> list[Result]:
    async with contextlib.AsyncExitStack() as stack:
        if backend == "postgres":
            database_url = await stack.enter_async_context(postgres_database())
        else:
            database_url = f"sqlite+aiosqlite:///{workdir / 'sequence.db'}"
        server = stack.enter_context(
            running_server(database_url, workers=args.workers, workdir=workdir)
        )
        http = await stack.enter_async_context(
            aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=args.clients + 4),
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
            )
        )
        await wait_ready(http, server)
        ids = itertools.count(1)
        spread = [SPREAD_SCRIPTS + client for client in range(args.clients)]
        contended = [CONTENDED_SCRIPT] * args.clients
        # Warm-up in scripts of its own: fills the pools, statement caches and imports.
        for scripts in ([s + WARMUP_SCRIPTS for s in spread], [WARMUP_SCRIPTS] * args.clients):
            plans = plan(scripts, total=args.warmup, ids=ids)
            await drive(http, server.base_url, plans, seconds=WARMUP_MAX_S)
        results = []
        for scenario, scripts in (("spread", spread), ("contended", contended)):
            plans = plan(scripts, total=args.requests, ids=ids)
            sessions: dict[str, float] = {}
            before = CpuSnapshot.take(server)
            async with contextlib.AsyncExitStack() as sampling:
                if backend == "postgres":
                    await sampling.enter_async_context(session_sampler(database_url, sessions))
                run = await drive(http, server.base_url, plans, seconds=args.max_seconds)
            used = CpuSnapshot.take(server).used_since(before)
            result = summarize(backend, scenario, run, server, used=used)
            result.db_sessions.update(sessions)
            result.problems.extend(await verify(http, server.base_url, run))
            results.append(result)
        return results
    raise AssertionError("unreachable")


# --- report -------------------------------------------------------------------------------------


def report(results: list[Result], args: argparse.Namespace) -> None:
    print(
        f"\n{args.clients} concurrent clients, up to {args.requests} allocations or "
        f"{args.max_seconds:g} s per scenario, uvicorn --workers {args.workers}, "
        f"{CPUS} CPUs shared by client, server and database"
    )
    print(
        f"{'backend':<9}{'scenario':<10}{'allocs':>7}{'alloc/s':>9}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'max ms':>8}{'peak RSS MiB':>13}  {'CPU ms/alloc srv/cli/db':<24}{'others':>6}  order"
    )
    for r in results:
        cpu = "/".join(f"{value:.2f}" for value in r.cpu_ms_per_alloc.values())
        print(
            f"{r.backend:<9}{r.scenario:<10}{len(r.run.answered):>7}{r.per_second:>9.0f}"
            f"{r.p50_ms:>8.1f}{r.p99_ms:>8.1f}{r.max_ms:>8.1f}{r.peak_rss_mib:>13.1f}  {cpu:<24}"
            f"{r.others_percent:>5.0f}%  {'1..n ok' if not r.problems else 'WRONG'}"
        )
    print(
        "peak RSS: VmHWM summed over the uvicorn process and its workers, since start.\n"
        "CPU: server processes / this client / all postgres processes (SQLite is in the server).\n"
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
                    f"{r.scenario}: {met} ({r.per_second:,.0f}/s)"
                )


async def bench(args: argparse.Namespace) -> list[Result]:
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results: list[Result] = []
    for backend in backends:
        workdir = Path(tempfile.mkdtemp(prefix=f"fountain-bench-{backend}-"))
        try:
            results += await bench_backend(backend, args, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=3000, help="allocations per scenario")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--warmup", type=int, default=320, help="allocations per warm-up scenario")
    parser.add_argument("--max-seconds", type=float, default=12.0, help="cap per scenario")
    args = parser.parse_args()
    if min(args.requests, args.clients, args.workers, args.warmup) < 1:
        parser.error("--requests, --clients, --workers and --warmup must be at least 1")
    try:
        results = asyncio.run(bench(args))
    except BenchFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    report(results, args)
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
