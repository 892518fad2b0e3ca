"""The Central Sequence service (or any other, ``running_service``) and the KMS as subprocesses
for the benchmarks, and their costs.

Starts the KMS (SQLite in the bench's temp dir, on a port picked up front: its URL is the token
issuer) and the service under uvicorn on 127.0.0.1 (against a SQLite file or a throwaway
PostgreSQL database, trusting that KMS), waits for them to be ready and stops them; measures
peak RSS and the CPU used by the server, the KMS, this client, PostgreSQL and the rest of the
machine; samples what the bench database's PostgreSQL sessions are doing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine

HOST = "127.0.0.1"
POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
KMS_APP = "fountainai.services.kms.app:create_app"
START_TIMEOUT_S, SAMPLE_EVERY_S = 60.0, 0.05
CLOCK_TICKS, CPUS = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1


class BenchFailure(Exception):
    """The environment or the server failed before anything could be measured."""


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    name: str = "sequence"

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

    def rss_mib(self) -> float:
        return sum(_status_kib(pid, "VmRSS") for pid in self.pids()) / 1024

    def reset_peak_rss(self) -> bool:
        """Start VmHWM afresh from the current RSS (Linux >= 4.0); False if it cannot."""
        try:
            for pid in self.pids():
                Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

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
    """CPU seconds so far of the server, the KMS, this client, each postgres process, the whole
    machine."""

    server: float
    kms: float
    client: float
    postgres: dict[int, float]
    machine: float

    @classmethod
    def take(cls, server: Server, kms: Server) -> CpuSnapshot:
        postgres: dict[int, float] = {}
        for comm in Path("/proc").glob("[0-9]*/comm"):
            with contextlib.suppress(OSError, ValueError):
                if comm.read_text().strip() == "postgres":
                    postgres[int(comm.parent.name)] = _cpu_seconds(int(comm.parent.name))
        ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        own = resource.getrusage(resource.RUSAGE_SELF)
        busy = (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS  # all but idle and iowait
        client = own.ru_utime + own.ru_stime
        return cls(server.cpu_seconds(), kms.cpu_seconds(), client, postgres, busy)

    def used_since(self, before: CpuSnapshot) -> dict[str, float]:
        # Per process, so postgres backends exiting meanwhile (other users') subtract nothing.
        db = sum(cpu - before.postgres.get(pid, 0.0) for pid, cpu in self.postgres.items())
        return {
            "server": self.server - before.server,
            "kms": self.kms - before.kms,
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


def _own_env(workdir: Path, kms_url: str, **extra: str) -> dict[str, str]:
    """This environment plus the bench's data dir, the KMS's URL (the issuer it signs with and
    the one every service expects) and ``extra``."""
    env = {**os.environ, "FOUNTAIN_DATA_DIR": str(workdir), "FOUNTAIN_KMS_URL": kms_url}
    return {**env, "FOUNTAIN_AUTH_ISSUER": kms_url, **extra}


@contextlib.contextmanager
def _uvicorn(
    app: str, env: dict[str, str], *, port: int, workers: int, workdir: Path, name: str
) -> Iterator[Server]:
    """``app`` (``module:create_app``) under uvicorn on ``port``, stopped (group and all) after."""
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", HOST]
    command += ["--port", str(port), "--log-level", "warning", "--workers", str(workers)]
    log_path = workdir / f"{name}.log"
    with log_path.open("wb") as log:
        # Its own process group, so the workers go with it if a graceful stop hangs.
        process = subprocess.Popen(
            command, env=env, cwd=workdir, stdout=log, stderr=log, start_new_session=True
        )
    try:
        yield Server(process, f"http://{HOST}:{port}", log_path, name)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@contextlib.contextmanager
def running_kms(
    workdir: Path, *, port: int, database_url: str | None = None, **settings: str
) -> Iterator[Server]:
    """The KMS on ``port`` (picked up front: its URL is the issuer), on ``database_url`` or else
    SQLite in ``workdir``; ``settings`` are extra environment variables (e.g.
    ``FOUNTAIN_KMS_HASH_CONCURRENCY``)."""
    env = _own_env(
        workdir,
        f"http://{HOST}:{port}",
        FOUNTAIN_KMS_LOG_LEVEL="WARNING",
        FOUNTAIN_KMS_DATABASE_URL=database_url or f"sqlite+aiosqlite:///{workdir / 'kms.db'}",
        **settings,
    )
    with _uvicorn(KMS_APP, env, port=port, workers=1, workdir=workdir, name="kms") as kms:
        yield kms


@contextlib.contextmanager
def running_service(
    name: str,
    database_url: str,
    *,
    workdir: Path,
    kms_url: str,
    port: int | None = None,
    workers: int = 1,
    settings: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """The service ``name`` (``fountainai.services.<name>.app:create_app``) on ``port`` (else a
    free one) and ``database_url``, trusting the KMS at ``kms_url``; ``settings`` are extra
    environment variables (e.g. the other services' URLs)."""
    prefix = f"FOUNTAIN_{name.upper()}"
    own = {f"{prefix}_LOG_LEVEL": "WARNING", f"{prefix}_DATABASE_URL": database_url}
    env = _own_env(workdir, kms_url, **own, **(settings or {}))
    app = f"fountainai.services.{name}.app:create_app"
    port = port or free_port()
    with _uvicorn(app, env, port=port, workers=workers, workdir=workdir, name=name) as server:
        yield server


@contextlib.contextmanager
def running_server(
    database_url: str, *, workers: int, workdir: Path, kms_url: str
) -> Iterator[Server]:
    """The Central Sequence service, trusting the KMS at ``kms_url``."""
    with running_service(
        "sequence", database_url, workers=workers, workdir=workdir, kms_url=kms_url
    ) as server:
        yield server


async def wait_ready(http: aiohttp.ClientSession, server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and server.process.poll() is None:
        with contextlib.suppress(TimeoutError, aiohttp.ClientError):
            async with http.get(f"{server.base_url}/health/ready") as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.1)
    raise BenchFailure(f"the {server.name} service did not become ready:\n{server.log_tail()}")


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
