"""Rate limits through the gateway, on both stores (in-process and the real Redis): per user, per
API key and per IP, per route; the draft RateLimit headers and a 429 problem with Retry-After;
Redis down fails open (counted) or closed (503) as configured — never a 500."""

from __future__ import annotations

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
    API_KEY,
    KmsStandIn,
    Upstream,
    gateway_settings,
    served_gateway,
    write_routes,
)
from tests.support.tokens import LocalIssuer

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


class Setup:
    def __init__(self, root: str, service: str, upstream: Upstream, issuer: LocalIssuer) -> None:
        self.root = root
        url = f"{root}/{service}"
        self.upstream = upstream
        self.issuer = issuer
        self.client = httpx.AsyncClient(base_url=url, timeout=10)


Open = Callable[..., Any]


@pytest.fixture(params=["in-process", "redis"])
def store_url(request: pytest.FixtureRequest) -> str:
    if request.param == "redis":
        request.getfixturevalue("redis")  # skips (or fails in CI) when Redis is unreachable
        return REDIS_URL
    return ""


@pytest.fixture
def open_gateway(tmp_path: Path) -> Open:
    @asynccontextmanager
    async def open_(
        rate_limits: list[dict[str, Any]] | None, **overrides: Any
    ) -> AsyncIterator[Setup]:
        issuer = LocalIssuer(ServiceSettings(auth_issuer="http://kms.test"))
        async with KmsStandIn(issuer) as kms, Upstream() as upstream:
            route: dict[str, Any] = {
                # A fresh service name: its Redis keys are this test's alone.
                "service": f"svc-{uuid.uuid4().hex[:8]}",
                "targets": [upstream.url],
                "access": [{"path": "/public/*", "public": True}],
            }
            if rate_limits is not None:
                route["rate_limits"] = rate_limits
            settings = gateway_settings(kms, write_routes(tmp_path, [route]), **overrides)
            async with served_gateway(settings) as gateway:
                setup = Setup(gateway.url, route["service"], upstream, issuer)
                yield setup
                await setup.client.aclose()

    return open_


async def test_a_user_quota_counts_each_user_apart(open_gateway: Open, store_url: str) -> None:
    quota = [{"name": "burst", "by": "user", "limit": 3, "window": 60}]
    async with open_gateway(quota, redis_url=store_url) as setup:
        ann = setup.issuer.headers("reader", username="ann")
        bob = setup.issuer.headers("reader", username="bob")
        statuses = [(await setup.client.get("/x", headers=ann)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert (await setup.client.get("/x", headers=bob)).status_code == 200
        assert len(setup.upstream.seen) == 4


async def test_a_refusal_is_a_429_problem_with_the_draft_headers(
    open_gateway: Open, store_url: str
) -> None:
    quota = [{"name": "burst", "by": "user", "limit": 2, "window": 60}]
    async with open_gateway(quota, redis_url=store_url) as setup:
        headers = setup.issuer.headers("reader")
        first = await setup.client.get("/x", headers=headers)
        assert first.headers["ratelimit-policy"] == '"burst";q=2;w=60'
        assert first.headers["ratelimit"].startswith('"burst";r=1;t=')
        assert first.headers["x-ratelimit-limit"] == "2"
        assert first.headers["x-ratelimit-remaining"] == "1"
        await setup.client.get("/x", headers=headers)
        refused = await setup.client.get("/x", headers=headers)
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.json()["violated-policies"] == ["burst"]
        assert refused.headers["x-ratelimit-remaining"] == "0"
        assert len(setup.upstream.seen) == 2


async def test_ip_quotas_cover_anonymous_callers(open_gateway: Open, store_url: str) -> None:
    quota = [{"name": "per-ip", "by": "ip", "limit": 2, "window": 60, "algorithm": "token-bucket"}]
    async with open_gateway(quota, redis_url=store_url) as setup:
        statuses = [(await setup.client.get("/public/x")).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        # Another client behind the trusted proxy (this test's 127.0.0.1) is another IP.
        other = await setup.client.get("/public/x", headers={"X-Forwarded-For": "198.51.100.4"})
        assert other.status_code == 200


async def test_key_quotas_apply_to_api_keys_only(open_gateway: Open, store_url: str) -> None:
    quota = [{"name": "per-key", "by": "key", "limit": 1, "window": 60}]
    async with open_gateway(quota, redis_url=store_url) as setup:
        key = {"X-API-Key": API_KEY}
        assert (await setup.client.get("/x", headers=key)).status_code == 200
        assert (await setup.client.get("/x", headers=key)).status_code == 429
        user = setup.issuer.headers("reader")
        assert (await setup.client.get("/x", headers=user)).status_code == 200
        assert (await setup.client.get("/x", headers=user)).status_code == 200


async def test_method_scoped_quotas_count_only_their_methods(
    open_gateway: Open, store_url: str
) -> None:
    quota = [{"name": "writes", "by": "user", "limit": 1, "window": 60, "methods": ["POST"]}]
    async with open_gateway(quota, redis_url=store_url) as setup:
        headers = setup.issuer.headers("writer")
        assert (await setup.client.post("/x", headers=headers)).status_code == 200
        assert (await setup.client.post("/x", headers=headers)).status_code == 429
        assert (await setup.client.get("/x", headers=headers)).status_code == 200


async def test_the_gateway_defaults_apply_to_routes_without_quotas(open_gateway: Open) -> None:
    async with open_gateway(None, rate_limit_user="2/60", rate_limit_ip="100/60") as setup:
        headers = setup.issuer.headers("reader")
        first = await setup.client.get("/x", headers=headers)
        assert first.headers["ratelimit-policy"] == '"per-user";q=2;w=60, "per-ip";q=100;w=60'
        assert first.headers["ratelimit"].startswith('"per-user";r=1;t=')
        statuses = [(await setup.client.get("/x", headers=headers)).status_code for _ in range(2)]
        assert statuses == [200, 429]


async def test_redis_down_fails_open_by_default_and_counts_it(open_gateway: Open) -> None:
    quota = [{"name": "burst", "by": "user", "limit": 1, "window": 60}]
    async with open_gateway(quota, redis_url=CLOSED_PORT_REDIS) as setup:
        headers = setup.issuer.headers("reader")
        statuses = [(await setup.client.get("/x", headers=headers)).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        async with httpx.AsyncClient(base_url=setup.root) as root:
            metrics = (await root.get("/metrics")).text
        assert 'outcome="store-error"' in metrics


async def test_redis_down_fails_closed_with_a_503_when_configured(open_gateway: Open) -> None:
    quota = [{"name": "burst", "by": "user", "limit": 1, "window": 60}]
    async with open_gateway(quota, redis_url=CLOSED_PORT_REDIS, redis_down="closed") as setup:
        response = await setup.client.get("/x", headers=setup.issuer.headers("reader"))
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "1"
        assert setup.upstream.seen == []
