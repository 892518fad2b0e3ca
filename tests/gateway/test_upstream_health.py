"""Active health checks against real servers: a real upstream process killed and restarted on
the same port goes unhealthy and comes back with its circuit closed; non-2xx answers, timeouts
and unreachable targets count as failures without ever raising; logs only on changes; the
background loop runs until stopped."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO

import aiohttp
import pytest
from aiohttp import web
from structlog.testing import capture_logs

from fountainai.gateway.upstream import (
    ActiveHealthChecker,
    BreakerPolicy,
    BreakerState,
    CircuitBreaker,
    Target,
    TargetPool,
)
from tests.support.fake_server import FakeServer

REPO_ROOT = Path(__file__).resolve().parents[2]
UPSTREAM_APP = "tests.gateway.upstream_app:create_app"
DEADLINE_SECONDS = 30.0


def state_of(target: Target) -> BreakerState:
    return target.breaker.state


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class UpstreamProcess:
    """``upstream_app`` under uvicorn in its own process, on a fixed port it keeps across
    restarts."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: asyncio.subprocess.Process | None = None
        self._log_path = log_path
        self._log: IO[bytes] | None = None

    async def start(self) -> None:
        self._log = self._log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "uvicorn", UPSTREAM_APP, "--factory",
            "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
            cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            stdout=self._log, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def log(self) -> str:
        return self._log_path.read_text(errors="replace")


@pytest.fixture
async def upstream(tmp_path: Path) -> AsyncIterator[UpstreamProcess]:
    process = UpstreamProcess(tmp_path / "upstream.log")
    try:
        yield process
    finally:
        await process.kill()


async def until(
    condition: Callable[[], bool],
    step: Callable[[], object],
    *,
    what: str,
    detail: Callable[[], str] = lambda: "",
) -> None:
    """Run ``step`` (awaited if it is a coroutine function), then pause, until ``condition``;
    fail with ``detail()`` past the deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"not {what} within {DEADLINE_SECONDS}s: {detail()}"
        result = step()
        if asyncio.iscoroutine(result):
            await result
        if not condition():
            await asyncio.sleep(0.1)


async def echo_pid(session: aiohttp.ClientSession, pool: TargetPool) -> int:
    """One proxied request as the gateway makes it: pick, send, record the answer."""
    target = pool.pick()
    assert target is not None
    async with session.post(f"{target.url}/echo", data=b"hello") as response:
        target.record_result(response.status)
        assert await response.read() == b"hello"
        return int(response.headers["X-Upstream-Pid"])


@pytest.mark.integration
async def test_a_killed_upstream_goes_unhealthy_and_comes_back_with_its_circuit_closed(
    upstream: UpstreamProcess,
) -> None:
    policy = BreakerPolicy(failure_threshold=2, open_seconds=3600.0)  # only reset() closes it
    target = Target(upstream.url, CircuitBreaker(policy))
    pool = TargetPool("echo", [target])
    await upstream.start()
    async with aiohttp.ClientSession() as session:
        checker = ActiveHealthChecker(
            {"echo": pool}, session, interval=60.0, timeout=2.0, unhealthy_after=2
        )
        await until(lambda: target.check_successes > 0, checker.check_once,
                    what="started", detail=upstream.log)  # fmt: skip
        assert target.healthy
        assert target.last_check_at is not None
        first_pid = await echo_pid(session, pool)
        assert upstream.process is not None
        assert first_pid == upstream.process.pid

        await upstream.kill()
        for _ in range(2):  # the proxy's own requests fail: passive checks open the circuit
            picked = pool.pick()
            assert picked is target
            with pytest.raises(aiohttp.ClientConnectionError):
                await session.get(f"{target.url}/echo")
            picked.record_failure()
        assert state_of(target) is BreakerState.OPEN
        assert pool.pick() is None

        await checker.check_once()
        assert target.healthy  # one failed check is not enough
        assert target.check_failures == 1
        await checker.check_once()
        assert not target.healthy
        assert target.last_error is not None
        assert "ClientConnectorError" in target.last_error
        assert pool.snapshot()[0]["healthy"] is False

        await upstream.start()  # the same port
        await until(lambda: target.healthy, checker.check_once,
                    what="healthy again", detail=upstream.log)  # fmt: skip
        assert state_of(target) is BreakerState.CLOSED
        assert target.breaker.consecutive_failures == 0
        assert target.last_error is None
        second_pid = await echo_pid(session, pool)
        assert second_pid == upstream.process.pid != first_pid


class HealthServer(FakeServer):
    """Answers ``status`` (``/health/down``: always 503; ``/health/slow``: once released)."""

    def __init__(self) -> None:
        self.status = 200
        self.paths: list[str] = []
        self.release = asyncio.Event()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.paths.append(request.path)
        if request.path == "/health/down":
            return web.Response(status=503)
        if request.path == "/health/slow":
            await self.release.wait()
        return web.Response(status=self.status, text="ok")


@pytest.fixture
async def server() -> AsyncIterator[HealthServer]:
    async with HealthServer() as running:
        yield running
        running.release.set()


async def test_non_2xx_answers_count_and_recovery_needs_healthy_after_successes(
    server: HealthServer,
) -> None:
    target = Target(server.url, CircuitBreaker(BreakerPolicy(failure_threshold=1)))
    target.record_failure()
    pool = TargetPool("scripts", [target])
    async with aiohttp.ClientSession() as session:
        checker = ActiveHealthChecker(
            {"scripts": pool}, session, interval=60.0, timeout=5.0,
            healthy_after=2, unhealthy_after=2, path_for=lambda service: f"/{service}/ready",
        )  # fmt: skip
        with capture_logs() as logs:
            await checker.check_once()
            assert target.healthy  # a 200: nothing changes, nothing logged
            assert logs == []
            server.status = 302  # a redirect is not healthy either
            for _ in range(4):
                await checker.check_once()
            assert not target.healthy
            assert target.last_error == "HTTP 302"
            server.status = 204
            await checker.check_once()
            assert not target.healthy  # one success of the two needed
            assert state_of(target) is BreakerState.OPEN
            await checker.check_once()
            assert target.healthy
            assert state_of(target) is BreakerState.CLOSED  # reset on the way back
            await checker.check_once()
    assert [(log["event"], log["log_level"]) for log in logs] == [
        ("upstream target unhealthy", "warning"),
        ("upstream target healthy", "info"),
    ]
    assert logs[0]["service"] == "scripts"
    assert logs[0]["target"] == server.url
    assert logs[0]["error"] == "HTTP 302"
    assert set(server.paths) == {"/scripts/ready"}
    assert len(server.paths) == 8


async def test_a_good_check_sends_the_next_request_to_probe_an_open_circuit(
    server: HealthServer,
) -> None:
    # The gateway's own requests opened the circuit and the target came back before the checks
    # ever took it out (CI once restarted an upstream that fast): no waiting out open_seconds.
    target = Target(
        server.url, CircuitBreaker(BreakerPolicy(failure_threshold=1, open_seconds=3600))
    )
    target.record_failure()
    pool = TargetPool("scripts", [target])
    assert pool.pick() is None
    async with aiohttp.ClientSession() as session:
        checker = ActiveHealthChecker({"scripts": pool}, session, interval=60.0, timeout=5.0)
        await checker.check_once()
    assert target.healthy
    assert state_of(target) is BreakerState.HALF_OPEN
    assert pool.pick() is target  # the probe
    assert pool.pick() is None  # one at a time
    target.record_result(200)
    assert state_of(target) is BreakerState.CLOSED


async def test_timeouts_and_unreachable_targets_fail_without_raising(server: HealthServer) -> None:
    slow, down = Target(server.url), Target(server.url)
    with socket.socket() as sock:  # bound, never listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        refused = Target(f"http://127.0.0.1:{sock.getsockname()[1]}")
        malformed = Target("http://127.0.0.1:notaport")
        pools = {
            "slow": TargetPool("slow", [slow]),
            "down": TargetPool("down", [down]),
            "refused": TargetPool("refused", [refused, malformed]),
        }
        paths = {"slow": "/health/slow", "down": "/health/down", "refused": "/health/ready"}

        def broken_listener(service: str, target: Target, healthy: bool) -> None:
            raise RuntimeError("a metrics bug")

        async with aiohttp.ClientSession() as session:
            checker = ActiveHealthChecker(
                pools, session, interval=60.0, timeout=2.0, unhealthy_after=1,
                path_for=paths.__getitem__, on_change=broken_listener,
            )  # fmt: skip
            started = time.monotonic()
            await checker.check_once()
            elapsed = time.monotonic() - started
    assert elapsed < DEADLINE_SECONDS  # bounded by the probe timeout, not hung
    assert slow.last_error == "timed out after 2.0s"
    assert down.last_error == "HTTP 503"
    assert refused.last_error is not None
    assert refused.last_error.startswith("ClientConnectorError")
    assert malformed.last_error is not None
    assert not any(t.healthy for t in (slow, down, refused, malformed))


async def test_the_background_loop_takes_out_and_brings_back_until_stopped(
    server: HealthServer,
) -> None:
    target = Target(server.url)
    pool = TargetPool("scripts", [target])
    changes: list[tuple[str, Target, bool]] = []
    async with aiohttp.ClientSession() as session:
        checker = ActiveHealthChecker(
            {"scripts": pool}, session, interval=0.05, timeout=2.0,
            on_change=lambda *change: changes.append(change),
        )  # fmt: skip
        checker.start()
        try:
            with pytest.raises(RuntimeError, match="already running"):
                checker.start()
            await until(lambda: len(server.paths) > 0, lambda: None, what="a first check")
            server.status = 500
            await until(lambda: not target.healthy, lambda: None, what="marked unhealthy")
            assert pool.pick() is None
            server.status = 200
            await until(lambda: target.healthy, lambda: None, what="marked healthy")
            assert pool.pick() is target
        finally:
            await checker.stop()
        assert not checker.running
        probes = len(server.paths)
        await asyncio.sleep(0.3)  # stopped: no more probes (a late one would show here)
        assert len(server.paths) == probes
    assert changes == [("scripts", target, False), ("scripts", target, True)]
