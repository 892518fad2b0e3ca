"""The real HTTP KMS client against a small aiohttp server standing in for the KMS's routes."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from fountainai.core import Unauthorized, UpstreamUnavailable
from fountainai.core.http import RetryPolicy, ServiceClient
from fountainai.services.twofa.app import create_app
from fountainai.services.twofa.codes.formats import Method
from fountainai.services.twofa.config import TwofaSettings
from fountainai.services.twofa.kms_client import HttpKmsClient
from tests.services.twofa.support import API, MovableClock, enroll, make_user, totp_now
from tests.support.fake_server import FakeServer
from tests.support.tokens import LocalIssuer

KEY = "fai_test_twofa_key"


@dataclass
class KmsRoutes(FakeServer):
    seen: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)
    status: int = 200

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else None
        self.seen.append((request.method, request.path_qs, dict(request.headers), body))
        if self.status >= 400:
            return web.json_response({"title": "no"}, status=self.status)
        if request.path.endswith("/step-up"):
            return web.json_response(
                {
                    "access_token": "new-token",
                    "token_type": "Bearer",
                    "expires_in": 600,
                    "amr": ["otp", "pwd"],
                    "auth_time": 1,
                }
            )
        if request.path == "/api/v1/users":
            items = [{"id": "id-1", "username": "carolyn"}, {"id": "id-2", "username": "carol"}]
            return web.json_response({"items": items, "totalCount": 2})
        return web.Response(status=204)


@pytest.fixture
async def kms_routes() -> AsyncIterator[tuple[KmsRoutes, str]]:
    async with KmsRoutes() as routes:
        yield routes, routes.url


@asynccontextmanager
async def client_for(url: str, api_key: str = KEY) -> AsyncIterator[HttpKmsClient]:
    async with ServiceClient(url, name="kms", retry=RetryPolicy(max_attempts=1)) as service:
        yield HttpKmsClient(service, api_key=api_key)


async def test_calls_carry_the_api_key_and_the_documented_bodies(
    kms_routes: tuple[KmsRoutes, str],
) -> None:
    routes, url = kms_routes
    async with client_for(url) as kms:
        await kms.set_mfa_enabled("user-1", enabled=True)
        token = await kms.step_up("subject-token", method=Method.RECOVERY)
        found = await kms.find_user("carol", bearer_token="admin-token")
        missing = await kms.find_user("caro", bearer_token="admin-token")
    assert token.access_token == "new-token"
    assert token.amr == ["otp", "pwd"]
    assert found is not None
    assert found.id == "id-2"
    assert missing is None
    (put, post, get, _) = routes.seen
    assert put[:2] == ("PUT", "/api/v1/internal/mfa/users/user-1")
    assert put[2]["X-API-Key"] == KEY
    assert put[3] == {"enabled": True}
    assert post[:2] == ("POST", "/api/v1/internal/mfa/step-up")
    assert post[2]["X-API-Key"] == KEY
    assert post[3] == {"subjectToken": "subject-token", "method": "recovery"}
    assert get[1] == "/api/v1/users?username=carol"
    assert get[2]["Authorization"] == "Bearer admin-token"
    assert "X-API-Key" not in get[2]


@pytest.mark.parametrize("status", [401, 403, 404, 500])
async def test_a_refusing_kms_is_unavailable(
    kms_routes: tuple[KmsRoutes, str], status: int
) -> None:
    routes, url = kms_routes
    routes.status = status
    async with client_for(url) as kms:
        with pytest.raises(UpstreamUnavailable):
            await kms.set_mfa_enabled("user-1", enabled=False)
        with pytest.raises(UpstreamUnavailable):
            await kms.step_up("t", method=Method.TOTP)


async def test_a_refused_subject_token_is_the_callers_401(
    kms_routes: tuple[KmsRoutes, str],
) -> None:
    """The KMS says 400 invalid-subject-token when the user's token was revoked (or the account
    disabled) after 2FA let it in: that is the caller's credential, not an outage."""
    routes, url = kms_routes
    routes.status = 400
    async with client_for(url) as kms:
        with pytest.raises(Unauthorized) as refused:
            await kms.step_up("revoked-token", method=Method.TOTP)
    assert 'error="invalid_token"' in refused.value.headers["WWW-Authenticate"]


async def test_without_an_api_key_nothing_is_sent(kms_routes: tuple[KmsRoutes, str]) -> None:
    routes, url = kms_routes
    async with client_for(url, api_key="") as kms:
        with pytest.raises(UpstreamUnavailable, match="FOUNTAIN_TWOFA_KMS_API_KEY"):
            await kms.set_mfa_enabled("user-1", enabled=True)
    assert routes.seen == []


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("api_key", ["", KEY])
async def test_confirm_answers_503_when_the_kms_cannot_be_used(
    database_url: str, tmp_path: Any, api_key: str
) -> None:
    """The service as configured (its own KMS client): unreachable, or no key set."""
    settings = TwofaSettings(
        database_url=database_url,
        data_dir=tmp_path,
        kms_url=f"http://127.0.0.1:{unused_port()}",
        kms_api_key=SecretStr(api_key),
    )
    issuer = LocalIssuer(settings)
    app = create_app(settings)
    app.state.authenticator = issuer.authenticator()
    app.state.clock = clock = MovableClock()
    user = make_user(issuer, "alice")
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://twofa.test") as client:
            secret = await enroll(client, user)
            response = await client.post(
                f"{API}/totp/confirm", json={"code": totp_now(secret, clock)}, headers=user.headers
            )
            assert response.status_code == 503, response.text
            assert response.json()["type"].endswith("/upstream-unavailable")
            status = await client.get(f"{API}/totp", headers=user.headers)
            assert status.json()["pending"] is True
