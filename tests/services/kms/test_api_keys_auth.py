"""Who may use the key endpoints, and what a key is worth once revoked, expired or altered."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.services.kms.api_key_factories import (
    INTROSPECT,
    KEYS,
    counts,
    create_key,
    expire_key,
    introspect,
    rotate_key,
)
from tests.services.kms.conftest import bearer, mint_token

NEW_KEY = {"serviceName": "intruder", "scopes": ["admin"]}


def as_header(key: str, form: str) -> dict[str, str]:
    return bearer(key) if form == "bearer" else {"X-API-Key": key}


def flipped(key: str, index: int) -> str:
    """``key`` with one character changed, staying inside the key's alphabet."""
    replacement = "b" if key[index] == "a" else "a"
    return key[:index] + replacement + key[index + 1 :]


async def management_calls(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> list[httpx.Response]:
    return [
        await client.post(KEYS, json=NEW_KEY, headers=headers),
        await client.post(f"{KEYS}/gateway/rotate", headers=headers),
        await client.delete(f"{KEYS}/gateway", headers=headers),
    ]


async def read_calls(client: httpx.AsyncClient, headers: dict[str, str]) -> list[httpx.Response]:
    return [
        await client.get(KEYS, headers=headers),
        await client.get(f"{KEYS}/gateway", headers=headers),
    ]


async def test_without_credentials_every_key_endpoint_but_introspection_is_401(
    app: FastAPI, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    key = await create_key(client, admin_headers, "gateway")
    before = await counts(app)
    for response in [*await management_calls(client, {}), *await read_calls(client, {})]:
        assert response.status_code == 401, response.request.url
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert await counts(app) == before
    assert (await introspect(client, key["apiKey"]))["active"] is True  # needs no credentials


@pytest.mark.parametrize("role", ["reader", "writer"])
async def test_non_admins_are_refused(
    app: FastAPI, client: httpx.AsyncClient, admin_headers: dict[str, str], role: str
) -> None:
    await create_key(client, admin_headers, "gateway")
    before = await counts(app)
    headers = bearer(await mint_token(app, roles=[role]))
    for response in [*await management_calls(client, headers), *await read_calls(client, headers)]:
        assert response.status_code == 403, response.request.url
    assert await counts(app) == before


@pytest.mark.parametrize("form", ["bearer", "x-api-key"])
async def test_an_admin_key_may_read_listings_but_not_manage_keys(
    app: FastAPI, client: httpx.AsyncClient, admin_headers: dict[str, str], form: str
) -> None:
    """Key management needs an admin *user*: a leaked key cannot mint or revoke keys."""
    automation = await create_key(client, admin_headers, "automation", ["admin"])
    await create_key(client, admin_headers, "gateway")
    headers = as_header(automation["apiKey"], form)
    for response in await read_calls(client, headers):
        assert response.status_code == 200, response.text
    before = await counts(app)
    for response in await management_calls(client, headers):
        assert response.status_code == 403, response.text
        assert "admin users" in response.json()["detail"]
    assert await counts(app) == before


async def test_a_key_without_the_admin_scope_reads_nothing(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    reader = await create_key(client, admin_headers, "reader-bot", ["story:read", "story:write"])
    for response in await read_calls(client, bearer(reader["apiKey"])):
        assert response.status_code == 403


@pytest.mark.parametrize("form", ["bearer", "x-api-key"])
async def test_a_revoked_key_is_refused_by_introspection_and_authentication(
    client: httpx.AsyncClient, stepped_up_headers: dict[str, str], form: str
) -> None:
    key = await create_key(client, stepped_up_headers, "automation", ["admin"])
    headers = as_header(key["apiKey"], form)
    assert (await client.get(KEYS, headers=headers)).status_code == 200
    assert (
        await client.delete(f"{KEYS}/automation", headers=stepped_up_headers)
    ).status_code == 204
    assert await introspect(client, key["apiKey"]) == {"active": False}
    refused = await client.get(KEYS, headers=headers)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith('Bearer realm="fountainai"')


async def test_a_rotated_key_authenticates_during_the_grace_period_then_not(
    app: FastAPI, client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    old = await create_key(client, stepped_up_headers, "automation", ["admin"])
    new = await rotate_key(client, stepped_up_headers, "automation")
    assert (await client.get(KEYS, headers=bearer(old["apiKey"]))).status_code == 200
    await expire_key(app, old["prefix"])
    assert (await client.get(KEYS, headers=bearer(old["apiKey"]))).status_code == 401
    assert (await client.get(KEYS, headers=bearer(new["apiKey"]))).status_code == 200


async def test_an_expired_key_is_refused(
    app: FastAPI, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    key = await create_key(client, admin_headers, "automation", ["admin"])
    await expire_key(app, key["prefix"])
    assert await introspect(client, key["apiKey"]) == {"active": False}
    assert (await client.get(KEYS, headers={"X-API-Key": key["apiKey"]})).status_code == 401


async def test_one_flipped_character_anywhere_makes_a_key_worthless(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    key = (await create_key(client, admin_headers, "automation", ["admin"]))["apiKey"]
    # In the prefix (another key's row, or none), the secret's first and last characters.
    for index in (4, 15, 17, len(key) - 1):
        forged = flipped(key, index)
        assert forged != key
        assert await introspect(client, forged) == {"active": False}
        assert (await client.get(KEYS, headers=bearer(forged))).status_code == 401
    assert (await introspect(client, key))["active"] is True


NOT_KEYS = [
    "",
    "fai_",
    "fai_abc_def",
    "FAI_abcdefghijkl_" + "A" * 43,
    "fai_ABCDEFGHIJKL_" + "A" * 43,
    "fai_abcdefghijkl_" + "A" * 42,
    "fai_abcdefghijkl_" + "A" * 44,
    "fai_abcdefghijkl_" + "A" * 42 + "=",
    "fai_abcdefghijkl_" + "A" * 42 + "é",
    "fai_abcdefghijkl_" + "A" * 43 + "\n",
    "fai_abcdefghijk'_" + "A" * 43,
    "fai_' OR '1'='1_" + "A" * 43,
    "eyJhbGciOiJFZERTQSJ9.e30.sig",
    "x" * 200,
]


async def test_anything_but_a_live_key_gets_the_same_bare_answer(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await create_key(client, admin_headers, "gateway")
    for presented in NOT_KEYS:
        response = await client.post(INTROSPECT, json={"apiKey": presented})
        assert response.status_code == 200, presented
        assert response.content == b'{"active":false}', presented


async def test_unknown_revoked_and_expired_keys_are_indistinguishable(
    app: FastAPI, client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    revoked = await create_key(client, stepped_up_headers, "old-service")
    await client.delete(f"{KEYS}/old-service", headers=stepped_up_headers)
    expired = await create_key(client, stepped_up_headers, "late-service")
    await expire_key(app, expired["prefix"])
    unknown = "fai_abcdefghijkl_" + "A" * 43
    answers = [
        await client.post(INTROSPECT, json={"apiKey": key})
        for key in (unknown, revoked["apiKey"], expired["apiKey"])
    ]
    assert {(a.status_code, a.content, a.headers["content-type"]) for a in answers} == {
        (200, b'{"active":false}', "application/json")
    }


BAD_INTROSPECTION_BODIES: list[dict[str, object]] = [
    {},
    {"apiKey": "x" * 201},
    {"apiKey": "fai_" + "a" * 100_000},
    {"apiKey": None},
    {"apiKey": ["fai_abcdefghijkl_" + "A" * 43]},
    {"apiKey": "fai_abcdefghijkl_" + "A" * 43, "serviceName": "gateway"},
]


async def test_introspection_input_is_capped_and_strict(client: httpx.AsyncClient) -> None:
    for body in BAD_INTROSPECTION_BODIES:
        response = await client.post(INTROSPECT, json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"


async def test_an_oversized_introspection_body_is_refused_before_parsing(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        INTROSPECT,
        content=b'{"apiKey":"' + b"a" * 2_000_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
