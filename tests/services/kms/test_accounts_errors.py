"""Every way to call the account endpoints badly: a problem+json answer, never a 500."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.services.kms.account_factories import bootstrap_admin, register, tokens
from tests.services.kms.conftest import API, bearer

ENDPOINTS = [
    ("POST", "/register"),
    ("POST", "/login"),
    ("POST", "/token/refresh"),
    ("POST", "/logout"),
    ("POST", "/logout/all"),
    ("POST", "/users/me/password"),
    ("GET", "/users/me"),
    ("GET", "/users"),
    ("PATCH", f"/users/{uuid.UUID(int=1)}"),  # fixed: xdist workers must collect alike
]
RAW_BODIES = [
    b"",
    b"{",
    b"null",
    b"[]",
    b'"text"',
    b"42",
    b'{"username": null, "password": null}',
    b'{"username": ["admin"], "password": {"a": 1}}',
    b'{"username": "\\ud800admin", "password": "\\udc00"}',
    b'{"username": "admin\\u0000", "password": "secure123\\u0000"}',
    b'{"refresh_token": "\\ud800", "currentPassword": "\\ud800", "newPassword": "x"}',
    b'{"roles": "admin,,,", "username": "x", "password": "y"}',
    b'{"username": "' + b"a" * 5000 + b'", "password": "p"}',
    b"\xff\xfe\x00",
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_malformed_bodies_are_problems_never_500(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    await register(client, "admin", "secure123", roles="admin")
    admin = bearer((await tokens(client, "admin", "secure123"))["access_token"])

    for raw in RAW_BODIES:
        for headers in ({}, admin):
            response = await client.request(
                method,
                f"{API}{path}",
                content=raw,
                headers={**headers, "content-type": "application/json"},
            )
            assert response.status_code < 500, (raw, response.text)
            if response.status_code >= 400:
                assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_bad_credentials_are_problems(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    await bootstrap_admin(client)
    for headers in (
        bearer("frt_" + "A" * 43),
        bearer("a.b.c"),
        {"Authorization": "Basic YWRtaW46c2VjdXJlMTIz"},
        {"X-API-Key": "fai_" + "x" * 60},
        {"Authorization": "Bearer " + "A" * 20_000},
    ):
        response = await client.request(method, f"{API}{path}", json={}, headers=headers)
        assert response.status_code in (400, 401, 403, 422), (headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_form_body_is_415_not_500(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/login", data={"username": "admin", "password": "secure123"}
    )

    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"


async def test_wrong_methods_are_405_problems(client: httpx.AsyncClient) -> None:
    for method, path in (("GET", "/login"), ("DELETE", "/users/me"), ("PUT", "/register")):
        response = await client.request(method, f"{API}{path}")
        assert response.status_code == 405
        assert response.headers["content-type"] == "application/problem+json"
