"""The gateway's response cache (both stores), metrics, deep health, aggregated OpenAPI and
retries, through a real gateway to real upstreams."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from fountainai.core import ServiceSettings
from tests.gateway.conftest import REDIS_URL
from tests.gateway.harness import (
    KmsStandIn,
    Upstream,
    free_port,
    gateway_settings,
    served_gateway,
    write_routes,
)
from tests.support.tokens import LocalIssuer


class Setup:
    def __init__(self, url: str, service: str, upstreams: list[Upstream], issuer: LocalIssuer):
        self.root = httpx.AsyncClient(base_url=url, timeout=10)
        self.client = httpx.AsyncClient(base_url=f"{url}/{service}", timeout=10)
        self.upstreams = upstreams
        self.issuer = issuer

    @property
    def upstream(self) -> Upstream:
        return self.upstreams[0]


Open = Callable[..., Any]


@pytest.fixture(params=["in-process", "redis"])
def store_url(request: pytest.FixtureRequest) -> str:
    if request.param == "redis":
        request.getfixturevalue("redis")
        return REDIS_URL
    return ""


@pytest.fixture
def open_gateway(tmp_path: Path) -> Open:
    @asynccontextmanager
    async def open_(route: dict[str, Any], *, upstreams: int = 1, **overrides: Any) -> Any:
        issuer = LocalIssuer(ServiceSettings(auth_issuer="http://kms.test"))
        async with KmsStandIn(issuer) as kms, _upstreams(upstreams) as servers:
            service = f"svc-{uuid.uuid4().hex[:8]}"
            # "live:N" in targets is the N-th upstream's URL; no targets: every upstream.
            given = route.pop("targets", None) or [f"live:{n}" for n in range(len(servers))]
            targets = [servers[int(t[5:])].url if t.startswith("live:") else t for t in given]
            full = {"service": service, "targets": targets, **route}
            settings = gateway_settings(kms, write_routes(tmp_path, [full]), **overrides)
            async with served_gateway(settings) as gateway:
                setup = Setup(gateway.url, service, servers, issuer)
                yield setup
                await setup.client.aclose()
                await setup.root.aclose()

    return open_


@asynccontextmanager
async def _upstreams(count: int) -> AsyncIterator[list[Upstream]]:
    servers = [Upstream(f"upstream-{index}") for index in range(count)]
    for server in servers:
        await server.__aenter__()
    try:
        yield servers
    finally:
        for server in servers:
            await server.__aexit__(None, None, None)


CACHED = {"cache": {"ttl": 60, "paths": ["/api/*"]}}


async def test_a_get_is_cached_per_caller_and_a_write_invalidates_it(
    open_gateway: Open, store_url: str
) -> None:
    async with open_gateway(dict(CACHED), redis_url=store_url) as setup:
        ann = setup.issuer.headers("writer", username="ann")
        first = await setup.client.get("/api/v1/things", headers=ann)
        second = await setup.client.get("/api/v1/things", headers=ann)
        assert first.headers["x-cache-status"] == "Miss"
        assert second.headers["x-cache-status"] == "Hit"
        assert second.json() == first.json()
        assert "age" in second.headers
        assert len(setup.upstream.seen) == 1

        bob = setup.issuer.headers("writer", username="bob")
        assert (await setup.client.get("/api/v1/things", headers=bob)).headers[
            "x-cache-status"
        ] == "Miss"

        await setup.client.post("/api/v1/things/5", headers=ann)  # a write below the listing
        after = await setup.client.get("/api/v1/things", headers=ann)
        assert after.headers["x-cache-status"] == "Miss"
        assert after.json()["count"] > first.json()["count"]


async def test_the_cache_honours_cache_control(open_gateway: Open, store_url: str) -> None:
    async with open_gateway(dict(CACHED), redis_url=store_url) as setup:
        headers = setup.issuer.headers("reader")
        fresh = {**headers, "Cache-Control": "no-cache"}
        await setup.client.get("/api/v1/x", headers=headers)
        bypass = await setup.client.get("/api/v1/x", headers=fresh)
        assert bypass.headers["x-cache-status"] == "Bypass"
        setup.upstream.cache_control = "no-store"
        await setup.client.get("/api/v1/y", headers=headers)
        again = await setup.client.get("/api/v1/y", headers=headers)
        assert again.headers["x-cache-status"] == "Miss"
        assert (await setup.client.get("/other", headers=headers)).headers[
            "x-cache-status"
        ] == "Bypass"


async def test_a_cache_store_that_is_down_is_a_bypass(open_gateway: Open) -> None:
    async with open_gateway(dict(CACHED), redis_url="redis://127.0.0.1:1/0") as setup:
        response = await setup.client.get("/api/v1/x", headers=setup.issuer.headers("reader"))
        assert response.status_code == 200
        assert response.headers["x-cache-status"] == "Bypass"


async def test_metrics_separate_gateway_and_upstream_latency(open_gateway: Open) -> None:
    async with open_gateway(dict(CACHED)) as setup:
        headers = setup.issuer.headers("reader")
        await setup.client.get("/api/v1/x", headers=headers)
        await setup.client.get("/api/v1/x", headers=headers)
        await setup.client.get("/api/v1/x")  # 401
        text = (await setup.root.get("/metrics")).text
        service = str(setup.client.base_url).rstrip("/").rsplit("/", 1)[1]
        assert f'gateway_requests_total{{code="200",route="/*",service="{service}"}} 2.0' in text
        assert f'gateway_requests_total{{code="401",route="/*",service="{service}"}} 1.0' in text
        assert f'gateway_latency_seconds_count{{service="{service}"}} 3.0' in text
        assert f'gateway_upstream_latency_seconds_count{{service="{service}"}} 1.0' in text
        assert f'gateway_cache_total{{service="{service}",status="Hit"}} 1.0' in text
        assert "gateway_upstream_target_health{" in text


async def test_health_endpoints_report_every_target(open_gateway: Open) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    async with open_gateway({}) as setup:
        ready = await setup.root.get("/health/ready")
        assert ready.status_code == 200
        services = (await setup.root.get("/health/services")).json()["services"]
        (state,) = services.values()
        assert state["healthy"] is True
        assert state["targets"][0]["breaker"] == "closed"
    async with open_gateway({"targets": [dead]}) as setup:
        for _ in range(50):  # the active checks mark it down within a few intervals
            services = (await setup.root.get("/health/services")).json()["services"]
            (state,) = services.values()
            if not state["healthy"]:
                break
            await asyncio.sleep(0.1)
        assert state["healthy"] is False
        assert state["targets"][0]["healthy"] is False
        ready = await setup.root.get("/health/ready")
        assert ready.status_code == 200  # the gateway still serves the other services
        assert list(ready.json()["upstreams"].values()) == ["down"]


async def test_an_idempotent_request_is_retried_on_another_target(open_gateway: Open) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    async with open_gateway({"targets": [dead, "live:0"]}) as setup:
        headers = setup.issuer.headers("writer")
        statuses = [(await setup.client.get("/x", headers=headers)).status_code for _ in range(4)]
        assert statuses == [200] * 4
        # A POST that could not connect was never sent: it is retried too.
        assert (await setup.client.post("/x", headers=headers)).status_code == 200
        text = (await setup.root.get("/metrics")).text
        assert "gateway_upstream_retries_total" in text


async def test_the_aggregated_openapi_and_docs(open_gateway: Open) -> None:
    async with open_gateway({}) as setup:
        document = (await setup.root.get("/openapi.json")).json()
        assert document["openapi"].startswith("3.1")
        assert "/secure-endpoint" in document["paths"]
        assert "/health/services" in document["paths"]
        docs = await setup.root.get("/docs")
        assert docs.status_code == 200
        assert "swagger" in docs.text.lower()


async def test_cors_answers_allowed_origins_only(open_gateway: Open) -> None:
    async with open_gateway({}, cors_origins="https://app.example") as setup:
        preflight = {
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        }
        allowed = await setup.client.options("/api/v1/x", headers=preflight)
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://app.example"
        assert setup.upstream.seen == []  # a preflight is answered at the edge
        other = await setup.client.options(
            "/api/v1/x", headers={**preflight, "Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in other.headers
        simple = await setup.client.get(
            "/api/v1/x", headers={**setup.issuer.headers("reader"), "Origin": "https://app.example"}
        )
        assert simple.headers["access-control-allow-origin"] == "https://app.example"
        assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()
