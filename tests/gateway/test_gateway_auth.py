"""Auth at the edge, by attack: no, bad, expired, revoked, wrong-audience and forged tokens, a
credential sent twice, a role or step-up the caller lacks, an API key the KMS does not know —
each fails closed with a problem and never reaches the upstream."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fountainai.core import ServiceSettings
from fountainai.core.auth import ACCESS_TOKEN_TYPE, SIGNING_ALGORITHM, public_jwk
from tests.gateway.harness import (
    API_KEY,
    KmsStandIn,
    Upstream,
    gateway_settings,
    served_gateway,
    write_routes,
)
from tests.support.tokens import LocalIssuer

ROUTES: list[dict[str, Any]] = [
    {
        "service": "echo",
        "targets": ["http://placeholder"],
        "access": [
            {"path": "/public/*", "public": True},
            {"path": "/internal/*", "deny": True},
            {"path": "/admin/*", "role": "admin", "step_up": True},
            {"path": "/scoped/*", "scopes": ["story:write"]},
            {"path": "/api/*", "methods": ["GET"], "role": "reader"},
            {"path": "/api/*", "role": "writer"},
        ],
    }
]


class Setup:
    def __init__(self, url: str, upstream: Upstream, kms: KmsStandIn) -> None:
        self.upstream = upstream
        self.kms = kms
        self.issuer = kms.issuer
        self.client = httpx.AsyncClient(base_url=url, timeout=10)

    async def get(self, path: str, **headers: str) -> httpx.Response:
        return await self.client.get(path, headers=headers)

    def bearer(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    issuer = LocalIssuer(ServiceSettings(auth_issuer="http://kms.test", auth_audience="fountainai"))
    async with KmsStandIn(issuer) as kms, Upstream() as upstream:
        routes = [{**ROUTES[0], "targets": [upstream.url]}]
        settings = gateway_settings(kms, write_routes(tmp_path, routes))
        async with served_gateway(settings) as gateway:
            setup = Setup(gateway.url, upstream, kms)
            yield setup
            await setup.client.aclose()


def forged(issuer: LocalIssuer, **claims: Any) -> str:
    """A well-formed token signed by a key the KMS never published, under the KMS's kid."""
    now = int(time.time())
    payload = {
        "iss": issuer.settings.auth_issuer,
        "aud": issuer.settings.auth_audience,
        "sub": "attacker",
        "roles": ["admin"],
        "scope": "admin story:read story:write",
        "amr": ["pwd", "otp"],
        "jti": "forged",
        "iat": now,
        "exp": now + 600,
        **claims,
    }
    return jwt.encode(
        payload,
        Ed25519PrivateKey.generate(),
        algorithm=SIGNING_ALGORITHM,
        headers={"kid": issuer.kid, "typ": ACCESS_TOKEN_TYPE},
    )


def hmac_with_public_key(issuer: LocalIssuer) -> str:
    """Algorithm confusion: HS256 keyed with the KMS's *public* key, which anyone can read."""
    claims = jwt.decode(issuer.token("admin"), options={"verify_signature": False})
    secret = public_jwk(issuer.key.public_key(), issuer.kid)["x"]
    header = {"kid": issuer.kid, "typ": ACCESS_TOKEN_TYPE}
    return jwt.encode(claims, secret, algorithm="HS256", headers=header)


def unsigned(issuer: LocalIssuer) -> str:
    """``alg: none``: every claim right, no signature at all."""
    header = {"alg": "none", "typ": ACCESS_TOKEN_TYPE, "kid": issuer.kid}
    claims = jwt.decode(issuer.token("admin"), options={"verify_signature": False})

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


def assert_refused(response: httpx.Response, status: int, setup: Setup) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert setup.upstream.seen == []


async def test_no_credential_is_401_with_a_bearer_challenge(setup: Setup) -> None:
    response = await setup.get("/echo/api/v1/x")
    assert_refused(response, 401, setup)
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda issuer: "not.a.jwt", id="garbage"),
        pytest.param(forged, id="forged-signature"),
        pytest.param(
            lambda issuer: issuer.token("reader", exp=int(time.time()) - 3600), id="expired"
        ),
        pytest.param(lambda issuer: issuer.token("reader", aud="someone-else"), id="audience"),
        pytest.param(lambda issuer: issuer.token("reader", iss="http://evil"), id="issuer"),
        pytest.param(hmac_with_public_key, id="hs256-confusion"),
        pytest.param(unsigned, id="alg-none"),
    ],
)
async def test_a_bad_token_is_401_invalid_token(setup: Setup, make: Any) -> None:
    response = await setup.client.get("/echo/api/v1/x", headers=setup.bearer(make(setup.issuer)))
    assert_refused(response, 401, setup)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_two_credentials_are_a_400(setup: Setup) -> None:
    headers = {**setup.issuer.headers("reader"), "X-API-Key": API_KEY}
    response = await setup.client.get("/echo/api/v1/x", headers=headers)
    assert_refused(response, 400, setup)


async def test_a_missing_role_is_403(setup: Setup) -> None:
    reader = setup.issuer.headers("reader")
    assert (await setup.client.get("/echo/api/v1/x", headers=reader)).status_code == 200
    response = await setup.client.post("/echo/api/v1/x", headers=reader)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert len(setup.upstream.seen) == 1  # only the GET got through


async def test_a_missing_scope_is_403(setup: Setup) -> None:
    response = await setup.client.get("/echo/scoped/x", headers=setup.issuer.headers("reader"))
    assert_refused(response, 403, setup)


async def test_step_up_is_needed_for_high_privilege_routes(setup: Setup) -> None:
    admin = setup.bearer(setup.issuer.token("admin"))  # password only
    response = await setup.client.delete("/echo/admin/keys", headers=admin)
    assert_refused(response, 401, setup)
    assert "insufficient_user_authentication" in response.headers["www-authenticate"]
    stale = setup.issuer.token("admin", amr=["pwd", "otp"], auth_time=int(time.time()) - 900)
    assert_refused(
        await setup.client.delete("/echo/admin/keys", headers=setup.bearer(stale)), 401, setup
    )
    fresh = setup.issuer.token("admin", amr=["pwd", "otp"], auth_time=int(time.time()))
    response = await setup.client.delete("/echo/admin/keys", headers=setup.bearer(fresh))
    assert response.status_code == 200


async def test_public_routes_need_no_credential_but_check_one_sent(setup: Setup) -> None:
    anonymous = await setup.client.get("/echo/public/x")
    assert anonymous.status_code == 200
    sent = {name.lower(): value for name, value in anonymous.json()["headers"]}
    assert sent["x-anonymous-consumer"] == "true"
    bad = await setup.client.get("/echo/public/x", headers=setup.bearer("garbage"))
    assert bad.status_code == 401


async def test_denied_paths_are_404_even_for_admins(setup: Setup) -> None:
    fresh = setup.issuer.token("admin", amr=["pwd", "otp"], auth_time=int(time.time()))
    response = await setup.client.get("/echo/internal/x", headers=setup.bearer(fresh))
    assert_refused(response, 404, setup)


async def test_api_keys_are_checked_with_the_kms(setup: Setup) -> None:
    known = await setup.client.get("/echo/api/v1/x", headers={"X-API-Key": API_KEY})
    assert known.status_code == 200
    sent = {name.lower(): value for name, value in known.json()["headers"]}
    assert sent["x-consumer-id"] == "service:robot"
    assert sent["x-credential-identifier"] == "robotkey0001"
    unknown = "fai_robotkey0002_" + "t" * 32
    response = await setup.client.get("/echo/api/v1/x", headers={"X-API-Key": unknown})
    assert response.status_code == 401


async def test_a_token_revoked_at_the_kms_is_refused(setup: Setup) -> None:
    token = setup.issuer.token("reader")
    assert (
        await setup.client.get("/echo/api/v1/x", headers=setup.bearer(token))
    ).status_code == 200
    setup.kms.revoked_jtis.append(jwt.decode(token, options={"verify_signature": False})["jti"])
    deadline = time.monotonic() + 3  # the gateway refetches the feed every second
    status = 200
    while time.monotonic() < deadline and status == 200:
        status = (await setup.client.get("/echo/api/v1/x", headers=setup.bearer(token))).status_code
    assert status == 401


async def test_secure_endpoint_echoes_the_identity(setup: Setup) -> None:
    token = setup.issuer.token("writer", username="ann", amr=["pwd", "otp"])
    response = await setup.client.get("/secure-endpoint", headers=setup.bearer(token))
    assert response.status_code == 200
    identity = response.json()
    assert identity["username"] == "ann"
    assert identity["roles"] == ["writer"]
    assert identity["amr"] == ["pwd", "otp"]
    assert identity["kind"] == "user"
    assert (await setup.client.get("/secure-endpoint")).status_code == 401
