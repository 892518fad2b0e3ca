"""The FastAPI side: challenges, role hierarchy, scope guard, both credentials, OpenAPI."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fountainai.core.auth import Role, roles_for_scopes, scopes_for_roles
from tests.core.auth.helpers import SigningKey, mint

REALM = 'Bearer realm="fountainai"'


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_for(key: SigningKey, *roles: Role, **changes: Any) -> str:
    return mint(key, roles=[role.value for role in roles], scope=scopes_for_roles(roles), **changes)


async def test_no_credentials_is_401_with_a_bare_challenge(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/read")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == REALM
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Authentication required"


@pytest.mark.parametrize(
    "authorization",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", "bearer  not.a.jwt", "Bearer a b"],
)
async def test_other_schemes_and_junk_are_invalid_credentials(
    client: httpx.AsyncClient, authorization: str
) -> None:
    response = await client.get("/api/v1/read", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == f'{REALM}, error="invalid_token"'


async def test_the_scheme_name_is_case_insensitive(
    client: httpx.AsyncClient, key: SigningKey
) -> None:
    token = token_for(key, Role.READER)
    response = await client.get("/api/v1/read", headers={"Authorization": f"bEaReR {token}"})
    assert response.status_code == 200


async def test_both_credentials_at_once_is_400(client: httpx.AsyncClient, key: SigningKey) -> None:
    headers = {**bearer(token_for(key, Role.ADMIN)), "X-API-Key": "fai_abcdefgh2345_" + "a" * 43}
    response = await client.get("/api/v1/read", headers=headers)
    assert response.status_code == 400
    assert response.headers["www-authenticate"] == f'{REALM}, error="invalid_request"'
    assert "not both" in response.json()["detail"]


async def test_a_repeated_authorization_header_is_400(
    client: httpx.AsyncClient, key: SigningKey
) -> None:
    token = token_for(key, Role.READER)
    headers = [("Authorization", f"Bearer {token}"), ("Authorization", f"Bearer {token}")]
    response = await client.get("/api/v1/read", headers=headers)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ((Role.READER,), {"read"}),
        ((Role.WRITER,), {"read", "write"}),
        ((Role.ADMIN,), {"read", "write", "admin"}),
        ((Role.READER, Role.ADMIN), {"read", "write", "admin"}),
        ((), set()),
    ],
)
async def test_roles_rank_admin_over_writer_over_reader(
    client: httpx.AsyncClient, key: SigningKey, roles: tuple[Role, ...], allowed: set[str]
) -> None:
    token = token_for(key, *roles)
    for path in ("read", "write", "admin"):
        response = await client.get(f"/api/v1/{path}", headers=bearer(token))
        if path in allowed:
            assert response.status_code == 200, path
            continue
        assert response.status_code == 403, path
        needed = {"read": "reader", "write": "writer", "admin": "admin"}[path]
        assert response.json()["detail"] == f"This operation needs the {needed} role."
        assert response.headers["www-authenticate"] == f'{REALM}, error="insufficient_scope"'
    me = await client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json()["roles"] == sorted(role.value for role in roles)


async def test_scope_guard(client: httpx.AsyncClient, key: SigningKey) -> None:
    writer = await client.get("/api/v1/scoped", headers=bearer(token_for(key, Role.WRITER)))
    assert writer.status_code == 200
    # The guard reads the scope claim, not the roles.
    narrowed = mint(key, roles=["admin"], scope="story:read")
    denied = await client.get("/api/v1/scoped", headers=bearer(narrowed))
    assert denied.status_code == 403
    assert denied.json()["detail"] == "This operation needs the story:write scope."


async def test_open_routes_never_touch_the_authenticator(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/open", headers={"Authorization": "Bearer junk"})
    assert response.status_code == 200


def test_scopes_and_roles_map_both_ways() -> None:
    assert scopes_for_roles([Role.READER]) == "story:read"
    assert scopes_for_roles([Role.WRITER]) == "story:read story:write"
    assert scopes_for_roles([Role.ADMIN]) == "admin story:read story:write"
    assert scopes_for_roles([Role.READER, Role.WRITER]) == "story:read story:write"
    assert scopes_for_roles([]) == ""
    assert roles_for_scopes(["story:read"]) == {Role.READER}
    assert roles_for_scopes(["admin", "story:write", "nope"]) == {Role.ADMIN, Role.WRITER}


async def test_openapi_documents_both_schemes_and_the_answers(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token from the KMS (or an API key, fai_...).",
    }
    assert schemes["apiKeyAuth"]["in"] == "header"
    assert schemes["apiKeyAuth"]["name"] == "X-API-Key"
    read = spec["paths"]["/api/v1/read"]["get"]
    assert {name for entry in read["security"] for name in entry} == {"bearerAuth", "apiKeyAuth"}
    assert {"401", "403", "503"} <= set(read["responses"])
    assert "security" not in spec["paths"]["/api/v1/open"]["get"]
