"""What a password login costs: argon2id alone, then logins and refreshes through a real KMS.

Run with ``uv run python bench/kms_login.py [--backend sqlite|postgres|both] [--argon2-runs 20]
[--logins 40] [--clients 8] [--per-client 8] [--refreshes 100]``. Three parts:

1. argon2id ``hash`` and ``verify`` in this process (``hasher_for``, as the KMS builds it), with
   the KMS's default parameters (``KmsSettings`` field defaults: t=3, m=64 MiB, p=4, whatever the
   environment says) and with the OWASP floor (t=2, m=19 MiB, p=1): median, p95 and p99 wall
   time over ``--argon2-runs``, and the median CPU time (p lanes run in threads);
2. ``POST /login`` end to end through the KMS under uvicorn on 127.0.0.1, its database SQLite in
   a temp dir or a throwaway PostgreSQL database, the default argon2 parameters and
   ``FOUNTAIN_KMS_HASH_CONCURRENCY``=4 set explicitly: one client logging in ``--logins`` times
   in a row, then a burst of ``--clients`` concurrent clients ``--per-client`` times each (past 4
   hashes at once they queue), each client a user of its own; every password is right, so the
   login throttle (which counts only failures) never engages. Reported: p50/p95/p99 per login,
   logins/s, the KMS's CPU per login, its peak RSS during the burst (VmHWM reset just before),
   and the latency of a refresh sent every 0.1 s during the burst;
3. ``POST /token/refresh`` in a chain (each answer's refresh token spent next): rotation without
   argon2, p50/p95/p99.

Exits 1 if a KMS does not start or any login or refresh fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from argon2 import PasswordHasher

from fountainai.services.kms.accounts.passwords import hasher_for
from fountainai.services.kms.config import KmsSettings
from kms_client import Tokens, bootstrap_admin, login, refresh, register
from sequence_alloc_server import (
    CPUS,
    BenchFailure,
    Server,
    free_port,
    postgres_database,
    running_kms,
    wait_ready,
)

DEFAULTS = KmsSettings.model_construct()  # field defaults only: no environment, no .env
OWASP_FLOOR = KmsSettings.model_construct(
    argon2_time_cost=2, argon2_memory_kib=19 * 1024, argon2_parallelism=1
)
PASSWORD = "correct horse battery staple"  # the bench users' password
RSS_SAMPLE_S, PROBE_EVERY_S = 0.02, 0.1


@dataclass(frozen=True)
class Timings:
    """Seconds per operation: wall-clock, and (where known) CPU."""

    name: str
    wall: list[float]
    cpu: list[float]
    note: str = ""

    def quantile(self, q: float) -> float:
        """Nearest rank: the smallest sample with at least ``q`` of all at or below it."""
        ordered = sorted(self.wall)
        return ordered[max(0, math.ceil(len(ordered) * q) - 1)]


def describe(settings: KmsSettings) -> str:
    memory = settings.argon2_memory_kib / 1024
    return f"t={settings.argon2_time_cost} m={memory:g}MiB p={settings.argon2_parallelism}"


# --- 1. argon2id in process ---------------------------------------------------------------------


def argon2_timings(label: str, hasher: PasswordHasher, runs: int) -> list[Timings]:
    hashes: list[str] = []
    hash_wall, hash_cpu, verify_wall, verify_cpu = [], [], [], []
    hasher.verify(hasher.hash(PASSWORD), PASSWORD)  # warm-up
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        hashes.append(hasher.hash(PASSWORD))
        hash_wall.append(time.perf_counter() - wall)
        hash_cpu.append(time.process_time() - cpu)
    for stored in hashes:
        wall, cpu = time.perf_counter(), time.process_time()
        if not hasher.verify(stored, PASSWORD):
            raise AssertionError("argon2 refused the right password")
        verify_wall.append(time.perf_counter() - wall)
        verify_cpu.append(time.process_time() - cpu)
    return [
        Timings(f"argon2id hash, {label}", hash_wall, hash_cpu),
        Timings(f"argon2id verify, {label}", verify_wall, verify_cpu),
    ]


# --- 2. and 3. through the KMS ------------------------------------------------------------------


async def timed_loop(count: int, call: Callable[[], Awaitable[object]], into: list[float]) -> None:
    for _ in range(count):
        started = time.perf_counter()
        await call()
        into.append(time.perf_counter() - started)


@contextlib.asynccontextmanager
async def rss_sampler(kms: Server, into: list[float]) -> AsyncIterator[None]:
    """Sample the KMS's RSS (MiB) every 20 ms while the block runs."""

    async def sample() -> None:
        while True:
            into.append(kms.rss_mib())
            await asyncio.sleep(RSS_SAMPLE_S)

    task = asyncio.create_task(sample())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def logins(
    http: aiohttp.ClientSession, kms: Server, users: list[str], per_client: int, name: str
) -> Timings:
    """Every user logs in ``per_client`` times in a row, all users at once."""
    latencies: list[float] = []
    cpu_before, started = kms.cpu_seconds(), time.perf_counter()

    def one(user: str) -> Callable[[], Awaitable[Tokens]]:
        return lambda: login(http, kms.base_url, user, PASSWORD)

    await asyncio.gather(*(timed_loop(per_client, one(user), latencies) for user in users))
    elapsed = time.perf_counter() - started
    cpu_ms = (kms.cpu_seconds() - cpu_before) * 1000 / len(latencies)
    note = f"{len(latencies) / elapsed:.1f} logins/s, KMS CPU {cpu_ms:.0f} ms/login"
    return Timings(name, latencies, [], note)


async def refresh_chain(
    http: aiohttp.ClientSession,
    kms: Server,
    tokens: Tokens,
    name: str,
    *,
    count: int | None = None,
    until: asyncio.Task[Timings] | None = None,
) -> Timings:
    """Refreshes in a row, each spending the refresh token the previous one answered: ``count``
    of them back to back, or one every 0.1 s until ``until`` is done (at least one)."""
    latencies: list[float] = []
    cpu_before = kms.cpu_seconds()
    while not latencies or (
        len(latencies) < (count or sys.maxsize) and not (until and until.done())
    ):
        started = time.perf_counter()
        tokens = await refresh(http, kms.base_url, tokens.refresh)
        latencies.append(time.perf_counter() - started)
        if until is not None:
            await asyncio.sleep(PROBE_EVERY_S)
    cpu_ms = (kms.cpu_seconds() - cpu_before) * 1000 / max(len(latencies), 1)
    note = f"KMS CPU {cpu_ms:.1f} ms/refresh" if until is None else "one every 0.1 s meanwhile"
    return Timings(name, latencies, [], note)


async def through_kms(
    args: argparse.Namespace, workdir: Path, backend: str
) -> tuple[list[Timings], str]:
    settings = {
        "FOUNTAIN_KMS_ARGON2_TIME_COST": str(DEFAULTS.argon2_time_cost),
        "FOUNTAIN_KMS_ARGON2_MEMORY_KIB": str(DEFAULTS.argon2_memory_kib),
        "FOUNTAIN_KMS_ARGON2_PARALLELISM": str(DEFAULTS.argon2_parallelism),
        "FOUNTAIN_KMS_HASH_CONCURRENCY": str(DEFAULTS.hash_concurrency),
    }
    users = [f"bench-{n}" for n in range(1, args.clients + 1)]
    timeout = aiohttp.ClientTimeout(total=120)
    async with contextlib.AsyncExitStack() as stack:
        database_url = None
        if backend == "postgres":
            database_url = await stack.enter_async_context(postgres_database())
        kms = stack.enter_context(
            running_kms(workdir, port=free_port(), database_url=database_url, **settings)
        )
        http = await stack.enter_async_context(aiohttp.ClientSession(timeout=timeout))
        await wait_ready(http, kms)
        admin = await bootstrap_admin(http, kms.base_url)
        for user in users:
            await register(http, kms.base_url, admin, user, PASSWORD, "reader")
        await logins(http, kms, users[:1], 2, "warm-up")
        sequential = await logins(http, kms, users[:1], args.logins, f"{backend}: login, 1 client")
        tokens = await login(http, kms.base_url, users[0], PASSWORD)
        chain = await refresh_chain(
            http, kms, tokens, f"{backend}: refresh (rotation)", count=args.refreshes
        )
        tokens = await login(http, kms.base_url, users[0], PASSWORD)
        idle_rss = kms.rss_mib()
        reset = kms.reset_peak_rss()
        samples: list[float] = []
        name = f"{backend}: login, {args.clients} clients"
        async with rss_sampler(kms, samples):
            burst = asyncio.ensure_future(logins(http, kms, users, args.per_client, name))
            probe = await refresh_chain(
                http, kms, tokens, f"{backend}: refresh during that burst", until=burst
            )
            concurrent = await burst
        peak = kms.peak_rss_mib() if reset else max(samples, default=0.0)
        how = "VmHWM reset before the burst" if reset else "sampled every 20 ms"
        rss = (
            f"{backend}: KMS RSS {idle_rss:.0f} MiB before the {args.clients}-client burst, peak "
            f"{peak:.0f} MiB during it ({how}; sampled max {max(samples, default=0.0):.0f} MiB)"
        )
        return [sequential, concurrent, probe, chain], rss
    raise AssertionError("unreachable")


# --- report -------------------------------------------------------------------------------------


def report(timings: list[Timings], peaks: list[str]) -> None:
    load = os.getloadavg()[0]
    print(
        f"\n{CPUS} CPUs, load average {load:.2f}; KMS default argon2id "
        f"{describe(DEFAULTS)}, hash_concurrency {DEFAULTS.hash_concurrency} "
        f"(at most {DEFAULTS.hash_concurrency * DEFAULTS.argon2_memory_kib // 1024} MiB "
        "hashing at once)"
    )
    print(
        f"{'operation':<46}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'CPU p50 ms':>12}  notes"
    )
    for t in timings:
        cpu = f"{statistics.median(t.cpu) * 1000:.1f}" if t.cpu else "-"
        print(
            f"{t.name:<46}{len(t.wall):>5}{statistics.median(t.wall) * 1000:>9.1f}"
            f"{t.quantile(0.95) * 1000:>9.1f}{t.quantile(0.99) * 1000:>9.1f}{cpu:>12}  {t.note}"
        )
    print(*peaks, sep="\n")
    print(
        "p95/p99: nearest rank, so with few samples they sit at or near the slowest one.\n"
        "argon2 CPU: this process's CPU time per call (p lanes run in threads). Login: wall time "
        "per POST /login,\nits argon2id verify included; the KMS hashes at most "
        f"{DEFAULTS.hash_concurrency} at once (more clients queue for a slot)."
    )


async def bench(args: argparse.Namespace) -> tuple[list[Timings], list[str]]:
    timings: list[Timings] = []
    for label, settings in (
        (f"KMS default {describe(DEFAULTS)}", DEFAULTS),
        (f"OWASP floor {describe(OWASP_FLOOR)}", OWASP_FLOOR),
    ):
        timings += argon2_timings(label, hasher_for(settings), args.argon2_runs)
    peaks: list[str] = []
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        workdir = Path(tempfile.mkdtemp(prefix=f"fountain-bench-kms-{backend}-"))
        try:
            through, rss = await through_kms(args, workdir, backend)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        timings += through
        peaks.append(rss)
    return timings, peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--argon2-runs", type=int, default=20, help="hashes (and verifies) each")
    parser.add_argument("--logins", type=int, default=40, help="logins by the single client")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients, then")
    parser.add_argument("--per-client", type=int, default=8, help="logins per concurrent client")
    parser.add_argument("--refreshes", type=int, default=100, help="refresh-token rotations")
    args = parser.parse_args()
    if min(args.argon2_runs, args.logins, args.clients, args.per_client, args.refreshes) < 1:
        parser.error("every count must be at least 1")
    try:
        timings, peaks = asyncio.run(bench(args))
    except (BenchFailure, aiohttp.ClientError, TimeoutError) as exc:
        print(f"FAILED: {exc!r}", file=sys.stderr)
        return 1
    report(timings, peaks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
