"""``AggregatedOpenApi`` against real HTTP servers: uvicorn serving small FastAPI services and
aiohttp servers whose answers the tests change between calls."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from fastapi import FastAPI

from fountainai.gateway.openapi import MISSING_SERVICES, STALE_SERVICES, AggregatedOpenApi
from fountainai.gateway.routes import AccessRule, Route, RouteTable
from tests.support.fake_server import FakeServer
from tests.support.threaded_server import served_in_thread

HOLD_SECONDS = 10.0  # a held answer gives up after this (only when the test is failing)


def small_app(name: str) -> FastAPI:
    app = FastAPI(title=name.title(), version="1")

    @app.get(f"/api/v1/{name}", operation_id=f"list{name.title()}")
    def listing() -> list[str]:
        return [name]

    @app.post("/api/v1/internal/reset", operation_id=f"reset{name.title()}")
    def reset() -> None:
        return None

    return app


def spec_with(*paths: str) -> dict[str, Any]:
    ok = {"200": {"description": "ok"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "S", "version": "1"},
        "paths": {path: {"get": {"responses": ok}} for path in paths},
    }


class SpecServer(FakeServer):
    """Answers ``/openapi.json`` with ``spec`` (or ``raw`` bytes) and ``status``; counts calls;
    with ``hold`` set, answers only once that event is."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.status = 200
        self.raw: bytes | None = None
        self.hits = 0
        self.arrived = asyncio.Event()
        self.hold: asyncio.Event | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.path != "/openapi.json":
            return web.Response(status=404)
        self.hits += 1
        self.arrived.set()
        if self.hold is not None:
            await asyncio.wait_for(self.hold.wait(), HOLD_SECONDS)
        if self.raw is not None:
            return web.Response(status=self.status, body=self.raw, content_type="application/json")
        return web.json_response(self.spec, status=self.status)


def closed_port_url() -> str:
    """A URL nothing listens on (the port was just free)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def test_merges_the_documents_of_running_services(session: aiohttp.ClientSession) -> None:
    with served_in_thread(small_app("alpha")) as alpha, served_in_thread(small_app("beta")) as beta:
        openapi = AggregatedOpenApi({"alpha": alpha, "beta": beta}, session, title="T", version="9")
        document = await openapi.document()
    assert document["info"]["title"] == "T"
    assert document["info"]["version"] == "9"
    assert "/alpha/api/v1/alpha" in document["paths"]
    assert "/beta/api/v1/beta" in document["paths"]
    assert MISSING_SERVICES not in document
    assert STALE_SERVICES not in document


async def test_services_are_asked_at_the_same_time(session: aiohttp.ClientSession) -> None:
    # Each answers only once the other has been asked: one after the other, both would time out.
    async with SpecServer(spec_with("/a")) as alpha, SpecServer(spec_with("/b")) as beta:
        alpha.hold, beta.hold = beta.arrived, alpha.arrived
        targets = {"alpha": alpha.url, "beta": beta.url}
        openapi = AggregatedOpenApi(targets, session, title="T", version="1", timeout=5)
        document = await openapi.document()
    assert set(document["paths"]) == {"/alpha/a", "/beta/b"}


async def test_the_document_is_cached(session: aiohttp.ClientSession) -> None:
    async with SpecServer(spec_with("/a")) as alpha:
        cached = AggregatedOpenApi({"alpha": alpha.url}, session, title="T", version="1")
        first, *others = await asyncio.gather(*(cached.document() for _ in range(5)))
        alpha.spec = spec_with("/a", "/b")
        later = await cached.document()
        assert alpha.hits == 1  # five callers at once, then a cached answer: one fetch
        assert all(other is first for other in others)
        assert later is first
        assert set(later["paths"]) == {"/alpha/a"}

        uncached = AggregatedOpenApi(
            {"alpha": alpha.url}, session, title="T", version="1", cache_seconds=0
        )
        alpha.spec = spec_with("/a")
        assert set((await uncached.document())["paths"]) == {"/alpha/a"}
        alpha.spec = spec_with("/a", "/b")
        assert set((await uncached.document())["paths"]) == {"/alpha/a", "/alpha/b"}
        assert alpha.hits == 3


async def test_a_service_that_does_not_answer_is_listed_missing(
    session: aiohttp.ClientSession,
) -> None:
    async with (
        SpecServer(spec_with("/a")) as alpha,
        SpecServer(spec_with("/x")) as failing,
        SpecServer(spec_with("/x")) as garbled,
        SpecServer({"swagger": "2.0", "paths": {}}) as swagger,
    ):
        failing.status = 500
        garbled.raw = b"<html>not json"
        targets = {
            "alpha": alpha.url,
            "down": closed_port_url(),
            "failing": failing.url,
            "garbled": garbled.url,
            "swagger": swagger.url,
        }
        openapi = AggregatedOpenApi(targets, session, title="T", version="1", retry_seconds=0)
        document = await openapi.document()
        assert set(document["paths"]) == {"/alpha/a"}
        assert document[MISSING_SERVICES] == ["down", "failing", "garbled", "swagger"]
        # An incomplete document is kept only retry_seconds: the next call asks again.
        failing.status = 200
        again = await openapi.document()
        assert alpha.hits == 2
        assert set(again["paths"]) == {"/alpha/a", "/failing/x"}
        assert again[MISSING_SERVICES] == ["down", "garbled", "swagger"]


async def test_a_service_gone_down_keeps_its_last_good_document(
    session: aiohttp.ClientSession,
) -> None:
    with served_in_thread(small_app("alpha")) as alpha:
        openapi = AggregatedOpenApi({"alpha": alpha}, session, title="T", version="1")
        up = await openapi.document()
    openapi = AggregatedOpenApi({"alpha": alpha}, session, title="T", version="1")
    assert MISSING_SERVICES in await openapi.document()  # never seen up: missing

    with served_in_thread(small_app("alpha")) as alpha:
        openapi = AggregatedOpenApi(
            {"alpha": alpha}, session, title="T", version="1", cache_seconds=0
        )
        assert (await openapi.document())["paths"] == up["paths"]
    down = await openapi.document()  # the server has stopped
    assert down["paths"] == up["paths"]
    assert down[STALE_SERVICES] == ["alpha"]
    assert MISSING_SERVICES not in down


async def test_a_refresh_that_cannot_merge_keeps_the_last_document(
    session: aiohttp.ClientSession,
) -> None:
    gateway_paths = {"/alpha/x": {"get": {"responses": {"200": {"description": "ok"}}}}}
    async with SpecServer(spec_with("/a")) as alpha:
        openapi = AggregatedOpenApi(
            {"alpha": alpha.url},
            session,
            title="T",
            version="1",
            cache_seconds=0,
            gateway_paths=gateway_paths,
        )
        good = await openapi.document()
        alpha.spec = spec_with("/x")  # now clashes with the gateway's own /alpha/x
        assert await openapi.document() is good
        assert alpha.hits == 2
        assert set(good["paths"]) == {"/alpha/a", "/alpha/x"}


async def test_for_routes_asks_each_route_and_leaves_denied_paths_out(
    session: aiohttp.ClientSession,
) -> None:
    deny_internal = AccessRule(path="/api/v1/internal/*", deny=True)
    with served_in_thread(small_app("alpha")) as alpha, served_in_thread(small_app("beta")) as beta:
        table = RouteTable(
            routes=(
                Route(service="alpha", targets=(alpha,), access=(deny_internal,)),
                Route(service="beta", targets=(beta,)),
            )
        )
        openapi = AggregatedOpenApi.for_routes(table, session, title="T", version="1")
        document = await openapi.document()
    assert set(document["paths"]) == {
        "/alpha/api/v1/alpha",
        "/beta/api/v1/beta",
        "/beta/api/v1/internal/reset",
    }
