"""Retry rules: the full-jitter backoff stays within its bounds; ``may_retry`` retries a request
that is not idempotent only if it never left; ``classify`` tells real aiohttp failures that
prove "never sent" (refused, connect timeout) from those after sending (disconnect, read
timeout)."""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from fractions import Fraction

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fountainai.gateway.upstream import Backoff, classify, may_retry


@given(
    base=st.floats(min_value=1e-4, max_value=10.0),
    cap=st.floats(min_value=0.0, max_value=100.0),
    attempt=st.integers(min_value=0, max_value=5000),
    seed=st.integers(),
)
def test_a_delay_is_between_zero_and_the_capped_exponential(
    base: float, cap: float, attempt: int, seed: int
) -> None:
    backoff = Backoff(base, cap, uniform=random.Random(seed).uniform)
    delay = backoff.delay(attempt)
    assert delay >= 0.0
    assert Fraction(delay) <= min(Fraction(cap), Fraction(base) * 2**attempt)


def test_the_ceiling_doubles_from_the_base_up_to_the_cap() -> None:
    highest = Backoff(uniform=lambda low, high: high)  # base 0.025, cap 0.5
    assert [highest.delay(n) for n in range(6)] == [0.025, 0.05, 0.1, 0.2, 0.4, 0.5]
    assert highest.delay(10_000) == 0.5
    lowest = Backoff(uniform=lambda low, high: low)
    assert lowest.delay(3) == 0.0


def test_the_default_draws_are_spread_out() -> None:
    delays = [Backoff().delay(4) for _ in range(200)]
    assert all(0.0 <= d <= 0.4 for d in delays)
    assert len(set(delays)) > 150
    assert min(delays) < 0.1
    assert max(delays) > 0.3


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Backoff().delay(-1)
    with pytest.raises(ValueError, match="positive"):
        Backoff(base=0.0)


@pytest.mark.parametrize(
    ("method", "sent", "attempt", "max_retries", "expected"),
    [
        ("GET", True, 0, 2, True),
        ("GET", True, 1, 2, True),
        ("GET", True, 2, 2, False),  # out of retries
        ("GET", False, 0, 0, False),  # a route with no retries
        ("get", True, 0, 2, True),
        ("HEAD", True, 0, 2, True),
        ("OPTIONS", True, 0, 2, True),
        ("PUT", True, 1, 2, True),
        ("DELETE", True, 0, 1, True),
        ("POST", True, 0, 2, False),  # may have been applied: never twice
        ("POST", False, 0, 2, True),  # never reached the upstream
        ("POST", False, 2, 2, False),
        ("PATCH", True, 0, 2, False),
        ("PATCH", False, 1, 2, True),
    ],
)
def test_may_retry(method: str, sent: bool, attempt: int, max_retries: int, expected: bool) -> None:
    assert may_retry(method, sent=sent, attempt=attempt, max_retries=max_retries) is expected


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(handler: Handler) -> AsyncIterator[str]:
    """A real TCP server on 127.0.0.1 that treats each connection with ``handler``."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def failure_of(
    url: str, *, limits: aiohttp.ClientTimeout, session: aiohttp.ClientSession | None = None
) -> BaseException:
    own = session is None
    http = session or aiohttp.ClientSession()
    try:
        async with http.post(url, data=b"{}", timeout=limits):
            pass
    except aiohttp.ClientError as exc:
        return exc
    finally:
        if own:
            await http.close()
    raise AssertionError("the request succeeded")


async def test_a_refused_connection_was_never_sent() -> None:
    with socket.socket() as sock:  # a port nobody listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        exc = await failure_of(f"http://127.0.0.1:{port}/x", limits=aiohttp.ClientTimeout(5))
    assert isinstance(exc, aiohttp.ClientConnectorError)
    assert classify(exc) == "connect"


async def test_a_connect_timeout_was_never_sent() -> None:
    connected, release = asyncio.Event(), asyncio.Event()

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.set()
        await release.wait()
        writer.close()

    async with raw_server(hang) as url:
        # One connection allowed and held by a hanging request: the next cannot get one.
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1))
        try:
            holder = asyncio.create_task(
                failure_of(url, limits=aiohttp.ClientTimeout(30), session=session)
            )
            await asyncio.wait_for(connected.wait(), 10)
            exc = await failure_of(url, limits=aiohttp.ClientTimeout(connect=0.2), session=session)
            release.set()
            await holder
        finally:
            await session.close()
    assert isinstance(exc, aiohttp.ConnectionTimeoutError)
    assert classify(exc) == "connect"


async def test_a_disconnect_after_sending_may_have_been_received() -> None:
    async def read_then_drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    async with raw_server(read_then_drop) as url:
        exc = await failure_of(url, limits=aiohttp.ClientTimeout(5))
    assert isinstance(exc, aiohttp.ServerDisconnectedError)
    assert classify(exc) == "sent"


async def test_a_read_timeout_may_have_been_received() -> None:
    release = asyncio.Event()

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await release.wait()
        writer.close()

    async with raw_server(never_answer) as url:
        exc = await failure_of(url, limits=aiohttp.ClientTimeout(sock_read=0.2))
        release.set()
    assert isinstance(exc, aiohttp.SocketTimeoutError)
    assert classify(exc) == "sent"
    assert classify(TimeoutError()) == "sent"  # a bare timeout proves nothing either
