"""Routing through a real gateway (uvicorn) to real upstreams: prefixes and hosts, the headers an
upstream gets (hop-by-hop dropped, identity stripped, X-Forwarded-* appended, request ID
propagated), the answer passed back as it came, and the gateway's own failures as problems."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from fountainai.core import ServiceSettings
from tests.gateway.harness import (
    KmsStandIn,
    Upstream,
    gateway_settings,
    raw_http,
    served_gateway,
    status_of,
    write_routes,
)
from tests.support.platform import ServedApp
from tests.support.tokens import LocalIssuer


class Setup:
    def __init__(self, gateway: ServedApp, upstream: Upstream, issuer: LocalIssuer) -> None:
        self.gateway = gateway
        self.upstream = upstream
        self.issuer = issuer
        self.client = httpx.AsyncClient(base_url=gateway.url, timeout=10)

    def auth(self, *roles: str) -> dict[str, str]:
        return self.issuer.headers(*(roles or ("reader",)))

    def seen_headers(self) -> dict[str, list[str]]:
        merged: dict[str, list[str]] = {}
        for name, value in self.upstream.seen[-1]["headers"]:
            merged.setdefault(name.lower(), []).append(value)
        return merged


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    issuer = LocalIssuer(ServiceSettings(auth_issuer="http://kms.test", auth_audience="fountainai"))
    async with KmsStandIn(issuer) as kms, Upstream() as upstream:
        routes = write_routes(
            tmp_path,
            [
                {
                    "service": "echo",
                    "targets": [upstream.url],
                    "hosts": ["echo.fountain.test"],
                    "timeout": 1.0,
                    "max_body_bytes": 4 * 1024 * 1024,
                    "access": [
                        {"path": "/public/*", "public": True},
                        {"path": "/internal/*", "deny": True},
                    ],
                }
            ],
        )
        async with served_gateway(gateway_settings(kms, routes)) as gateway:
            setup = Setup(gateway, upstream, issuer)
            yield setup
            await setup.client.aclose()


async def test_a_prefix_routes_to_the_service_with_the_prefix_stripped(setup: Setup) -> None:
    response = await setup.client.get("/echo/api/v1/things/%2Fodd?b=2&a=1", headers=setup.auth())
    assert response.status_code == 200
    seen = response.json()
    assert seen["path"] == "/api/v1/things/%2Fodd?b=2&a=1"  # encoding and query kept as sent
    assert seen["method"] == "GET"


async def test_a_host_routes_the_whole_path(setup: Setup) -> None:
    headers = {**setup.auth(), "Host": "echo.fountain.test"}
    response = await setup.client.get("/api/v1/things", headers=headers)
    assert response.status_code == 200
    assert response.json()["path"] == "/api/v1/things"


async def test_an_unknown_service_is_a_404_problem(setup: Setup) -> None:
    response = await setup.client.get("/nowhere/api/v1/things", headers=setup.auth())
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert setup.upstream.seen == []


async def test_hop_by_hop_and_identity_headers_never_reach_the_upstream(setup: Setup) -> None:
    headers = {
        **setup.auth(),
        "Connection": "keep-alive, X-Secret-Hop",
        "X-Secret-Hop": "drop me",
        "Keep-Alive": "timeout=5",
        "TE": "trailers",
        "X-Consumer-ID": "admin",
        "X-Consumer-Groups": "admin",
        "X-Anonymous-Consumer": "false",
        "X-Fountain-Role": "admin",
        "Forwarded": "for=1.2.3.4",
        "X-Kept": "yes",
    }
    response = await setup.client.get("/echo/api/v1/x", headers=headers)
    assert response.status_code == 200
    seen = setup.seen_headers()
    for name in ("x-secret-hop", "keep-alive", "te", "forwarded", "x-fountain-role"):
        assert name not in seen, name
    assert seen["x-kept"] == ["yes"]
    assert seen["x-consumer-groups"] == ["reader"]  # the gateway's word, not the client's
    assert seen["x-consumer-id"] != ["admin"]
    assert "x-anonymous-consumer" not in seen


async def test_forwarded_headers_are_appended_and_the_request_id_propagated(setup: Setup) -> None:
    headers = {
        **setup.auth(),
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "fountain.example",
        "X-Request-ID": "trace-123",
    }
    response = await setup.client.get("/echo/api/v1/x", headers=headers)
    seen = setup.seen_headers()
    # The test client is 127.0.0.1, a trusted proxy (like Caddy): its hops are kept.
    assert seen["x-forwarded-for"] == ["203.0.113.7, 127.0.0.1"]
    assert seen["x-forwarded-proto"] == ["https"]
    assert seen["x-forwarded-host"] == ["fountain.example"]
    assert seen["x-request-id"] == ["trace-123"]
    assert response.headers["x-request-id"] == "trace-123"


async def test_a_request_id_is_created_when_none_is_sent(setup: Setup) -> None:
    response = await setup.client.get("/echo/api/v1/x", headers=setup.auth())
    created = response.headers["x-request-id"]
    assert len(created) == 32
    assert setup.seen_headers()["x-request-id"] == [created]


async def test_upstream_errors_pass_through_as_they_are(setup: Setup) -> None:
    response = await setup.client.get("/echo/status/500", headers=setup.auth())
    assert response.status_code == 500
    assert response.text == "upstream says 500"
    assert response.headers["content-type"].startswith("text/plain")


async def test_repeated_response_headers_and_streamed_bodies_arrive_whole(setup: Setup) -> None:
    cookies = await setup.client.get("/echo/cookies", headers=setup.auth())
    assert len(cookies.headers.get_list("set-cookie")) == 2
    streamed = await setup.client.get("/echo/stream", headers=setup.auth())
    assert streamed.text == "".join(f"chunk-{index};" for index in range(5))


async def test_a_large_body_streams_through_intact(setup: Setup) -> None:
    body = os.urandom(3 * 1024 * 1024)
    response = await setup.client.post("/echo/api/v1/upload", content=body, headers=setup.auth())
    assert response.status_code == 200
    assert response.json()["bodyLength"] == len(body)
    assert response.json()["bodySha256"] == hashlib.sha256(body).hexdigest()


async def test_a_body_over_the_route_limit_is_413_and_never_sent(setup: Setup) -> None:
    big = b"x" * (4 * 1024 * 1024 + 1)
    declared = await setup.client.post("/echo/api/v1/upload", content=big, headers=setup.auth())
    assert declared.status_code == 413
    assert declared.headers["content-type"] == "application/problem+json"

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"y" * (1024 * 1024)

    chunked = await setup.client.post("/echo/api/v1/upload", content=chunks(), headers=setup.auth())
    assert chunked.status_code == 413
    assert setup.upstream.seen == []


async def test_a_slow_upstream_is_a_504_problem(setup: Setup) -> None:
    response = await setup.client.get("/echo/slow?seconds=3", headers=setup.auth())
    assert response.status_code == 504
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 504


async def test_a_dead_upstream_is_a_fast_503_problem(setup: Setup) -> None:
    await setup.upstream.__aexit__(None, None, None)
    started = asyncio.get_running_loop().time()
    response = await setup.client.get("/echo/api/v1/x", headers=setup.auth())
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "retry-after" in response.headers
    assert asyncio.get_running_loop().time() - started < 5


@pytest.mark.parametrize(
    "path",
    [
        "/echo//api/v1/x",
        "/echo/api/v1/../internal/x",
        "/echo/api/%2e%2e/internal/x",
        "/echo/./x",
        "/echo/internal/x",
        "/echo/%69nternal/x",
    ],
)
async def test_unnormalised_and_denied_paths_never_reach_the_upstream(
    setup: Setup, path: str
) -> None:
    token = setup.auth()["Authorization"]
    request = (
        f"GET {path} HTTP/1.1\r\nHost: gw\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    ).encode()
    answer = await raw_http(setup.gateway.url, request)
    assert status_of(answer) in {400, 404}
    assert b"application/problem+json" in answer
    assert setup.upstream.seen == []


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: 4\r\nContent-Length: 40\r\n",
        b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
        b"Content-Length: +4\r\n",
    ],
)
async def test_ambiguous_framing_is_refused_and_never_forwarded(
    setup: Setup, framing: bytes
) -> None:
    token = setup.auth()["Authorization"].encode()
    request = (
        b"POST /echo/api/v1/x HTTP/1.1\r\nHost: gw\r\nAuthorization: "
        + token
        + b"\r\n"
        + framing
        + b"Connection: close\r\n\r\n4\r\nbody\r\n0\r\n\r\nGET /echo/api/v1/smuggled HTTP/1.1\r\n"
        b"Host: gw\r\n\r\n"
    )
    answer = await raw_http(setup.gateway.url, request)
    assert status_of(answer) == 400
    assert setup.upstream.seen == []
