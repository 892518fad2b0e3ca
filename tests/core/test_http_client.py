"""ServiceClient against a real aiohttp server on 127.0.0.1: retries, errors, timeouts, IDs."""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import BaseModel
from structlog.testing import capture_logs

from fountainai.core.context import bind_request_id, unbind_request_id
from fountainai.core.errors import UpstreamUnavailable
from fountainai.core.http import (
    RetryPolicy,
    ServiceClient,
    UpstreamBadResponse,
    UpstreamError,
)

FAST = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.005)
NOT_FOUND = {
    "type": "https://fountain.coach/problems/not-found",
    "title": "Not found",
    "status": 404,
    "detail": "No script 42.",
}


class Item(BaseModel):
    id: int
    name: str


@dataclass
class Upstream:
    url: str
    hits: Counter[str]


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    """Routes count their hits; ``/flaky?fail=n`` answers 503 n times, then 200."""
    hits: Counter[str] = Counter()
    release = asyncio.Event()

    async def echo(request: web.Request) -> web.Response:
        hits[request.path] += 1
        body = await request.json() if request.can_read_body else None
        return web.json_response(
            {
                "request_id": request.headers.get("X-Request-ID"),
                "content_type": request.headers.get("Content-Type"),
                "body": body,
            }
        )

    async def flaky(request: web.Request) -> web.Response:
        hits[request.path] += 1
        if hits[request.path] <= int(request.query.get("fail", "0")):
            return web.json_response({"status": 503}, status=503)
        return web.json_response({"id": 1, "name": "ok"})

    async def status(request: web.Request) -> web.Response:
        hits[request.path] += 1
        code = int(request.match_info["code"])
        if code == 404:
            return web.json_response(NOT_FOUND, status=404, content_type="application/problem+json")
        return web.Response(text="boom", status=code)

    async def slow(request: web.Request) -> web.Response:
        hits[request.path] += 1
        await asyncio.wait_for(release.wait(), timeout=5)
        return web.json_response({"id": 1, "name": "late"})

    async def items(request: web.Request) -> web.Response:
        return web.json_response([{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])

    app = web.Application()
    app.router.add_route("*", "/echo", echo)
    app.router.add_route("*", "/flaky", flaky)
    app.router.add_get("/status/{code}", status)
    app.router.add_get("/slow", slow)
    app.router.add_get("/items", items)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        yield Upstream(url=str(server.make_url("")), hits=hits)
    finally:
        release.set()
        await server.close()


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A port bound but not listening: connecting is refused, and no one else can take it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


async def test_request_id_of_the_current_request_is_sent(upstream: Upstream) -> None:
    token = bind_request_id("req-abc.123")
    try:
        async with ServiceClient(upstream.url, retry=FAST) as client:
            response = await client.request("GET", "/echo")
    finally:
        unbind_request_id(token)
    assert response.json()["request_id"] == "req-abc.123"


async def test_no_request_id_header_outside_a_request(upstream: Upstream) -> None:
    async with ServiceClient(upstream.url, retry=FAST) as client:
        response = await client.request("GET", "/echo")
    assert response.json()["request_id"] is None


async def test_json_body_is_encoded_with_pydantic_models(upstream: Upstream) -> None:
    async with ServiceClient(upstream.url, retry=FAST) as client:
        response = await client.request("POST", "/echo", json={"item": Item(id=7, name="x")})
    answer = response.json()
    assert answer["content_type"] == "application/json"
    assert answer["body"] == {"item": {"id": 7, "name": "x"}}


async def test_get_is_retried_after_503_then_succeeds(upstream: Upstream) -> None:
    async with ServiceClient(upstream.url, retry=FAST) as client:
        with capture_logs() as logs:
            item = await client.request_json("GET", "/flaky", params={"fail": 2}, model=Item)
    assert item == Item(id=1, name="ok")
    assert upstream.hits["/flaky"] == 3
    retries = [entry for entry in logs if entry["event"] == "upstream_retry"]
    assert [entry["attempt"] for entry in retries] == [1, 2]
    assert all(entry["reason"] == "answered 503" for entry in retries)


async def test_post_is_not_retried_on_503(upstream: Upstream) -> None:
    async with ServiceClient(upstream.url, retry=FAST) as client:
        with pytest.raises(UpstreamUnavailable, match="not retried"):
            await client.request_json("POST", "/flaky?fail=1", json={"a": 1}, model=Item)
    assert upstream.hits["/flaky"] == 1


async def test_post_marked_idempotent_is_retried_on_503(upstream: Upstream) -> None:
    async with ServiceClient(upstream.url, retry=FAST) as client:
        item = await client.request_json(
            "POST", "/flaky?fail=1", json={"key": "k-1"}, model=Item, idempotent=True
        )
    assert item.name == "ok"
    assert upstream.hits["/flaky"] == 2


async def test_503_every_time_gives_upstream_unavailable_after_max_attempts(
    upstream: Upstream,
) -> None:
    async with ServiceClient(upstream.url, retry=FAST, name="scripts") as client:
        with pytest.raises(UpstreamUnavailable) as caught:
            await client.request("GET", "/flaky", params={"fail": 99})
    assert upstream.hits["/flaky"] == FAST.max_attempts
    assert caught.value.detail == "scripts: GET /flaky failed after 3 attempts: answered 503"


async def test_404_raises_upstream_error_with_problem_and_is_not_retried(
    upstream: Upstream,
) -> None:
    async with ServiceClient(upstream.url, retry=FAST) as client:
        with pytest.raises(UpstreamError) as caught:
            await client.request_json("GET", "/status/404", model=Item)
    assert caught.value.upstream_status == 404
    assert caught.value.problem == NOT_FOUND
    assert caught.value.status == 502
    assert upstream.hits["/status/404"] == 1


@pytest.mark.parametrize("code", [400, 409, 500, 501])
async def test_other_error_statuses_are_never_retried(upstream: Upstream, code: int) -> None:
    async with ServiceClient(upstream.url, retry=FAST) as client:
        with pytest.raises(UpstreamError) as caught:
            await client.request("GET", f"/status/{code}")
    assert caught.value.upstream_status == code
    assert caught.value.problem == "boom"
    assert upstream.hits[f"/status/{code}"] == 1


async def test_connection_refused_gives_upstream_unavailable_after_max_attempts(
    refused_port: int,
) -> None:
    async with ServiceClient(f"http://127.0.0.1:{refused_port}", retry=FAST) as client:
        refused = pytest.raises(UpstreamUnavailable, match="after 3 attempts: connection failed")
        with capture_logs() as logs, refused:
            await client.request("GET", "/anything")
    assert [entry["event"] for entry in logs] == [
        "upstream_retry",
        "upstream_retry",
        "upstream_unavailable",
    ]


async def test_per_request_timeout_is_honoured(upstream: Upstream) -> None:
    policy = RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.001)
    async with ServiceClient(upstream.url, retry=policy) as client:
        started = time.monotonic()
        with pytest.raises(UpstreamUnavailable, match="after 2 attempts: timed out"):
            await client.request("GET", "/slow", timeout=aiohttp.ClientTimeout(total=0.1))
    assert time.monotonic() - started < 2
    assert upstream.hits["/slow"] == 2


async def test_default_timeout_is_honoured(upstream: Upstream) -> None:
    timeout = aiohttp.ClientTimeout(total=0.1)
    async with ServiceClient(upstream.url, retry=FAST, timeout=timeout) as client:
        with pytest.raises(UpstreamUnavailable, match="timed out"):
            await client.request("GET", "/slow")
    assert upstream.hits["/slow"] == FAST.max_attempts


def test_backoff_delay_stays_within_exponential_ceiling_and_max_delay() -> None:
    policy = RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.05)
    for failed_attempt in range(1, 10):
        ceiling = min(0.05, 0.01 * 2 ** (failed_attempt - 1))
        delays = [policy.delay(failed_attempt) for _ in range(200)]
        assert all(0 <= delay <= ceiling for delay in delays)
        # Full jitter spreads over the range rather than sitting at the ceiling.
        assert min(delays) < ceiling / 2 < max(delays)


async def test_max_delay_bounds_the_waits_between_attempts(upstream: Upstream) -> None:
    # Unbounded, base_delay=10 would wait seconds: full jitter draws from [0, 10 * 2^n].
    policy = RetryPolicy(max_attempts=5, base_delay=10.0, max_delay=0.02)
    async with ServiceClient(upstream.url, retry=policy) as client:
        started = time.monotonic()
        with capture_logs() as logs, pytest.raises(UpstreamUnavailable):
            await client.request("GET", "/flaky", params={"fail": 99})
    assert time.monotonic() - started < 1
    delays = [entry["delay_s"] for entry in logs if entry["event"] == "upstream_retry"]
    assert len(delays) == 4
    assert all(0 <= delay <= 0.02 for delay in delays)


def test_retry_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


async def test_lists_validate_and_bad_shapes_raise_bad_response(upstream: Upstream) -> None:
    async with ServiceClient(upstream.url, retry=FAST) as client:
        items = await client.request_json("GET", "/items", model=list[Item])
        with pytest.raises(UpstreamBadResponse) as caught:
            await client.request_json("GET", "/items", model=Item)
    assert [item.name for item in items] == ["a", "b"]
    assert caught.value.upstream_status == 200
    assert isinstance(caught.value, UpstreamError)


def test_constructing_needs_no_event_loop() -> None:
    client = ServiceClient("http://127.0.0.1:1/", retry=FAST)
    assert client.base_url == "http://127.0.0.1:1"


async def test_session_starts_lazily_and_closes(upstream: Upstream) -> None:
    client = ServiceClient(upstream.url, retry=FAST)
    try:
        first = await client.request("GET", "/echo")
        second = await client.request("GET", "/echo")
    finally:
        await client.close()
    assert first.status == second.status == 200
    assert upstream.hits["/echo"] == 2
