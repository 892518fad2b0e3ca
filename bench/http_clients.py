"""Compare httpx.AsyncClient and aiohttp.ClientSession as core's inter-service HTTP client.

Run with ``uv run python bench/http_clients.py``. A minimal pure-ASGI app is served by uvicorn in
a subprocess on 127.0.0.1; each client (one pooled client or session) then sends a fixed number of
GETs at 1 and at 64 requests in flight. Rounds alternate between the clients so drift hits both
alike, and the round with the median throughput is reported. Takes well under a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx

REQUESTS = 3000
WARMUP = 200
ROUNDS = 3
CONCURRENCIES = (1, 64)
HOST = "127.0.0.1"
BODY = b'{"id":"5f0c","title":"INT. KITCHEN - NIGHT","position":7,"tags":["draft","act-1"]}'

Fetch = Callable[[], Awaitable[None]]


async def asgi_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(BODY)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": BODY})


def serve(port: int) -> None:
    import uvicorn

    uvicorn.run(asgi_app, host=HOST, port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_listening(port: int, *, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"benchmark server did not start on port {port}")


@dataclass(frozen=True)
class Result:
    client: str
    concurrency: int
    rps: float
    p50_ms: float
    p99_ms: float


async def drive(fetch: Fetch, *, total: int, concurrency: int) -> tuple[float, list[float]]:
    """Send ``total`` requests with ``concurrency`` in flight; return (seconds, latencies)."""
    latencies: list[float] = []
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            await fetch()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies


def summarize(client: str, concurrency: int, elapsed: float, latencies: list[float]) -> Result:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Result(
        client=client,
        concurrency=concurrency,
        rps=len(latencies) / elapsed,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=p99 * 1000,
    )


async def run_httpx(url: str, concurrency: int) -> Result:
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=100)) as client:

        async def fetch() -> None:
            response = await client.get(url)
            response.raise_for_status()
            response.json()

        await drive(fetch, total=WARMUP, concurrency=concurrency)
        elapsed, latencies = await drive(fetch, total=REQUESTS, concurrency=concurrency)
    return summarize("httpx", concurrency, elapsed, latencies)


async def run_aiohttp(url: str, concurrency: int) -> Result:
    connector = aiohttp.TCPConnector(limit=100)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def fetch() -> None:
            async with session.get(url) as response:
                response.raise_for_status()
                await response.json()

        await drive(fetch, total=WARMUP, concurrency=concurrency)
        elapsed, latencies = await drive(fetch, total=REQUESTS, concurrency=concurrency)
    return summarize("aiohttp", concurrency, elapsed, latencies)


def median_round(rounds: list[Result]) -> Result:
    return sorted(rounds, key=lambda r: r.rps)[len(rounds) // 2]


async def measure(url: str) -> list[Result]:
    runners = {"httpx": run_httpx, "aiohttp": run_aiohttp}
    results: list[Result] = []
    for concurrency in CONCURRENCIES:
        rounds: dict[str, list[Result]] = {name: [] for name in runners}
        for _ in range(ROUNDS):
            for name, runner in runners.items():
                rounds[name].append(await runner(url, concurrency))
        results.extend(median_round(rounds[name]) for name in runners)
    return results


def report(results: list[Result]) -> None:
    print(f"{REQUESTS} GETs per round, median of {ROUNDS} rounds, server: uvicorn on {HOST}")
    print(f"{'client':<8} {'in flight':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for r in results:
        print(f"{r.client:<8} {r.concurrency:>9} {r.rps:>9.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f}")
    by_key = {(r.client, r.concurrency): r for r in results}
    for concurrency in CONCURRENCIES:
        ratio = by_key["aiohttp", concurrency].rps / by_key["httpx", concurrency].rps
        print(f"aiohttp/httpx throughput at {concurrency} in flight: {ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port)])
    try:
        wait_until_listening(port)
        report(asyncio.run(measure(f"http://{HOST}:{port}/scenes/7")))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
