"""Bad input changes nothing; and no secret, whole or in part, ever reaches the database."""

from __future__ import annotations

import hashlib
from typing import Any, get_args

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, inspect, text

from fountainai.core.auth import API_KEY_SCOPES
from fountainai.services.kms.apikeys.schemas import ApiKeyScope
from tests.services.kms.api_key_factories import (
    KEYS,
    counts,
    create_key,
    introspect,
    rotate_key,
    secret_of,
    stored_key,
)
from tests.services.kms.conftest import bearer

GOOD = {"serviceName": "gateway", "scopes": ["story:read"]}


BAD_CREATE_CHANGES: list[dict[str, Any]] = [
    {"serviceName": "G"},
    {"serviceName": "a"},
    {"serviceName": "Gateway"},
    {"serviceName": "1gateway"},
    {"serviceName": "-gateway"},
    {"serviceName": "gate way"},
    {"serviceName": "gate_way"},
    {"serviceName": "gateway/../admin"},
    {"serviceName": "gateway'; DROP TABLE kms_api_keys; --"},
    {"serviceName": "\uff47\uff41\uff54\uff45\uff57\uff41\uff59"},
    {"serviceName": "g" * 64},
    {"serviceName": "g" * 100_000},
    {"serviceName": None},
    {"serviceName": 42},
    {"scopes": []},
    {"scopes": ["root"]},
    {"scopes": ["admin", "story:delete"]},
    {"scopes": ["ADMIN"]},
    {"scopes": "admin"},
    {"scopes": None},
    {"scopes": ["story:read"] * 11},
    {"expiresInDays": 0},
    {"expiresInDays": -1},
    {"expiresInDays": 3651},
    {"expiresInDays": 99_999},
    {"expiresInDays": "30"},
    {"expiresInDays": 1.5},
    {"expiresInDays": True},
    {"apiKey": "fai_abcdefghijkl_" + "A" * 43},
    {"secretHash": "0" * 64},
    {"createdBy": "someone-else"},
]


async def test_bad_create_input_is_a_422_problem_and_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    # One app for every case: building one per case would dominate the suite's run time.
    for changes in BAD_CREATE_CHANGES:
        response = await client.post(KEYS, json={**GOOD, **changes}, headers=admin_headers)
        assert response.status_code == 422, (changes, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"], changes
    assert await counts(app) == (0, 0)


@pytest.mark.parametrize("missing", ["serviceName", "scopes"])
async def test_required_fields_are_required(
    app: FastAPI, client: httpx.AsyncClient, admin_headers: dict[str, str], missing: str
) -> None:
    body = {name: value for name, value in GOOD.items() if name != missing}
    response = await client.post(KEYS, json=body, headers=admin_headers)
    assert response.status_code == 422
    assert await counts(app) == (0, 0)


@pytest.mark.parametrize(
    "body",
    [{"scopes": []}, {"scopes": ["root"]}, {"expiresInDays": 0}, {"serviceName": "other"}],
)
async def test_bad_rotate_input_changes_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    stepped_up_headers: dict[str, str],
    body: dict[str, Any],
) -> None:
    key = await create_key(client, stepped_up_headers, "gateway")
    before = await counts(app)
    response = await client.post(f"{KEYS}/gateway/rotate", json=body, headers=stepped_up_headers)
    assert response.status_code == 422
    assert await counts(app) == before
    assert (await introspect(client, key["apiKey"]))["active"] is True
    assert (await stored_key(app, key["prefix"])).rotated_at is None


async def test_bad_service_names_in_paths_are_422(
    client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    for name in ("Gateway", "g", "gate_way", "g" * 64, "%27%20OR%201%3D1"):
        for response in (
            await client.get(f"{KEYS}/{name}", headers=stepped_up_headers),
            await client.post(f"{KEYS}/{name}/rotate", headers=stepped_up_headers),
            await client.delete(f"{KEYS}/{name}", headers=stepped_up_headers),
            await client.get(KEYS, params={"serviceName": name}, headers=stepped_up_headers),
        ):
            assert response.status_code == 422, response.request.url


def test_the_wire_scopes_are_the_platform_scopes() -> None:
    assert set(get_args(ApiKeyScope)) == set(API_KEY_SCOPES)


async def every_stored_value(app: FastAPI) -> list[tuple[str, str, object]]:
    """(table, column, value) for every cell of every KMS table, read with plain SQL."""

    def table_names(connection: Connection) -> list[str]:
        return [name for name in inspect(connection).get_table_names() if name.startswith("kms_")]

    cells: list[tuple[str, str, object]] = []
    async with app.state.engine.connect() as connection:
        for table in await connection.run_sync(table_names):
            result = await connection.execute(text(f'SELECT * FROM "{table}"'))
            for row in result.mappings():
                cells.extend((table, column, value) for column, value in row.items())
    return cells


def renderings(value: object) -> list[str]:
    """Every way a secret could hide in a cell: text, bytes as text, bytes as hex."""
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        return [raw.decode("latin-1"), raw.hex()]
    return [str(value)]


async def test_the_database_never_contains_a_secret(
    app: FastAPI,
    client: httpx.AsyncClient,
    stepped_up_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    issued = [
        await create_key(client, stepped_up_headers, "gateway", ["admin"]),
        await create_key(client, stepped_up_headers, "indexer", ["story:read", "story:write"]),
    ]
    issued.append(await rotate_key(client, stepped_up_headers, "gateway"))
    for key in issued:
        await introspect(client, key["apiKey"])
        assert (await client.get(KEYS, headers=bearer(key["apiKey"]))).status_code in (200, 403)
    assert (await client.delete(f"{KEYS}/indexer", headers=stepped_up_headers)).status_code == 204
    issued.append(await create_key(client, stepped_up_headers, "indexer"))

    cells = await every_stored_value(app)
    assert any(table == "kms_api_keys" for table, _, _ in cells)
    for key in issued:
        whole = key["apiKey"]
        secret = secret_of(whole)
        assert len(secret) == 43
        for table, column, value in cells:
            for rendered in renderings(value):
                assert secret not in rendered, f"{table}.{column} holds a secret"
                assert secret[:16] not in rendered, f"{table}.{column} holds part of a secret"
                assert whole not in rendered
        # What is kept instead: the hash of the whole key, and its display prefix.
        row = await stored_key(app, key["prefix"])
        assert row.secret_hash == hashlib.sha256(whole.encode()).hexdigest()

    logged = caplog.text  # nor the logs (audit lines included)
    assert "apiKeyCreate" in logged
    for key in issued:
        assert secret_of(key["apiKey"]) not in logged
