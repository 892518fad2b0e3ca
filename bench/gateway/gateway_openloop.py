"""Half load for bench/gateway: GETs sent at a fixed rate (open loop: request ``i`` goes out at
``i / rate`` seconds whatever the earlier ones are waiting for), over a pool of keep-alive
HTTP/1.1 connections, on uvloop with httptools' C parser.

Why not aiohttp: on this 2-core box an aiohttp client sharing its CPU with the upstream managed
about 1,500 of 3,000 requests/s asked, and its own queueing put seconds into the "latency". This
client costs a few tens of microseconds per request, so at a few thousand requests/s the latency
it measures is the server's, and the same client overhead is in every row.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import math
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import httptools
import uvloop

DRAIN_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class FixedRate:
    """An open-loop run at ``target_rate``: what was achieved, latency percentiles (ms) from the
    moment each request was handed to the pool, and how late the generator sent (p99, ms)."""

    target_rate: float
    achieved_rate: float
    requests: int
    p50_ms: float
    p99_ms: float
    failures: int
    send_lag_p99_ms: float

    @property
    def kept_up(self) -> bool:
        """The generator sent on time: within 3% of the rate, p99 of its lateness <= 2 ms."""
        return self.achieved_rate >= 0.97 * self.target_rate and self.send_lag_p99_ms <= 2.0


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest rank; NaN for no values."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


class _Pool:
    """Keep-alive connections to one server; a request waits for a free one (that wait counts in
    its latency) once ``max_connections`` are busy."""

    def __init__(self, url: str, headers: dict[str, str], *, max_connections: int, body: int):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        lines = [f"GET {parts.path} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.request = ("\r\n".join(lines) + "\r\n\r\n").encode()
        self.max_connections, self.body_length = max_connections, body
        self.idle: list[_Connection] = []
        self.opened = 0
        self.queued: deque[float] = deque()
        self.in_flight = 0
        self.all_answered = asyncio.Event()
        self.latencies: list[float] = []
        self.failures = 0

    def submit(self) -> None:
        self.in_flight += 1
        self.all_answered.clear()
        now = time.perf_counter()
        if self.idle:
            self.idle.pop().send(now)
            return
        self.queued.append(now)
        if self.opened < self.max_connections:
            self.opened += 1
            asyncio.get_running_loop().create_task(self._connect())

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(
                lambda: _Connection(self), self.host, self.port
            )
        except OSError:
            self.opened -= 1
            if self.queued:  # one waiting request fails per failed connection attempt
                self.queued.popleft()
                self.finish(None)
            return
        self.ready(connection)

    def ready(self, connection: _Connection) -> None:
        if self.queued:
            connection.send(self.queued.popleft())
        else:
            self.idle.append(connection)

    def finish(self, latency: float | None) -> None:
        self.in_flight -= 1
        if latency is None:
            self.failures += 1
        else:
            self.latencies.append(latency)
        if not self.in_flight:
            self.all_answered.set()

    async def drain(self) -> None:
        """Until every request sent is answered (or failed), at most ``DRAIN_TIMEOUT_S``."""
        if self.in_flight:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.all_answered.wait(), DRAIN_TIMEOUT_S)

    def lost(self, connection: _Connection) -> None:
        self.opened -= 1
        if connection in self.idle:
            self.idle.remove(connection)
        if self.queued and self.opened < self.max_connections:
            self.opened += 1
            asyncio.get_running_loop().create_task(self._connect())


class _Connection(asyncio.Protocol):
    """One keep-alive connection, one request at a time."""

    def __init__(self, pool: _Pool) -> None:
        self.pool = pool
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.WriteTransport | None = None
        self.started: float | None = None
        self.status = 0
        self.received = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not subclass asyncio's; a TCP transport writes and closes.
        self.transport = cast(asyncio.WriteTransport, transport)

    def send(self, started: float) -> None:
        assert self.transport is not None
        self.started, self.status, self.received = started, 0, 0
        self.transport.write(self.pool.request)

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            assert self.transport is not None
            self.transport.close()

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        self.received += len(body)

    def on_message_complete(self) -> None:
        started, self.started = self.started, None
        if started is None:
            return
        ok = self.status == 200 and self.received == self.pool.body_length
        self.pool.finish(time.perf_counter() - started if ok else None)
        self.pool.ready(self)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.started is not None:
            self.started = None
            self.pool.finish(None)
        self.pool.lost(self)


async def _paced(pool: _Pool, rate: float, duration_s: float) -> tuple[list[float], float]:
    """Submit ``rate * duration_s`` requests on schedule; each one's lateness (s), and the
    seconds it took."""
    total, lags, sent = max(1, round(rate * duration_s)), [], 0
    begin = time.perf_counter()
    while sent < total:
        now = time.perf_counter()
        due = min(total, int((now - begin) * rate) + 1)
        for index in range(sent, due):
            lags.append(max(0.0, now - (begin + index / rate)))
            pool.submit()
        sent = due
        await asyncio.sleep(max(0.0, begin + sent / rate - time.perf_counter()))
    return lags, time.perf_counter() - begin


async def _fixed_rate(
    pool: _Pool, rate: float, duration_s: float, warmup_s: float
) -> tuple[list[float], float]:
    if warmup_s > 0:
        await _paced(pool, rate, warmup_s)
    await pool.drain()
    pool.latencies, pool.failures = [], 0
    lags, elapsed = await _paced(pool, rate, duration_s)
    await pool.drain()
    pool.failures += pool.in_flight  # unanswered after the drain timeout
    for connection in pool.idle:
        assert connection.transport is not None
        connection.transport.close()
    return lags, elapsed


def run_fixed_rate(
    url: str,
    *,
    authorization: str,
    body_length: int,
    rate: float,
    duration_s: float,
    warmup_s: float,
    max_connections: int,
) -> FixedRate:
    """``rate`` GETs per second for ``duration_s`` (after ``warmup_s`` at the same rate, not
    counted); an answer counts only if it is 200 with ``body_length`` bytes. The garbage
    collector is paused meanwhile (its pauses would be the client's latency, not the server's)."""
    pool = _Pool(
        url, {"Authorization": authorization}, max_connections=max_connections, body=body_length
    )
    gc.collect()
    gc.disable()
    try:
        lags, elapsed = uvloop.run(_fixed_rate(pool, rate, duration_s, warmup_s))
    finally:
        gc.enable()
    latencies = sorted(pool.latencies)
    lags.sort()
    return FixedRate(
        target_rate=rate,
        achieved_rate=(len(latencies) + pool.failures) / elapsed,
        requests=len(latencies),
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        failures=pool.failures,
        send_lag_p99_ms=percentile(lags, 0.99) * 1000,
    )
