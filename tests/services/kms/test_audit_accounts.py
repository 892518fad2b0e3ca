"""Every account security event is audited with actor, target, IP and request ID; no secret is
ever stored (rows) or logged."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, inspect, text

from tests.services.kms.account_factories import (
    PASSWORD,
    SEED,
    audit_rows,
    bootstrap_admin,
    login,
    refresh,
    register,
    stepped_up,
    tokens,
)
from tests.services.kms.conftest import API, bearer

NEW_PASSWORD = "another long passphrase"


async def test_each_event_carries_the_request_id_of_its_request(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await bootstrap_admin(client)
    responses = {
        "register": await client.post(
            f"{API}/register", json={"username": "alice", "password": PASSWORD}
        ),
        "login": await login(client, "alice", "wrong"),
    }
    pair = await tokens(client, "alice")
    responses["tokenRefresh"] = await refresh(client, pair["refresh_token"])
    alice = bearer(responses["tokenRefresh"].json()["access_token"])
    responses["logout"] = await client.post(f"{API}/logout", headers=alice)

    for event, response in responses.items():
        rows = [
            e
            for e in await audit_rows(app, event)
            if e.request_id == response.headers["x-request-id"]
        ]
        assert len(rows) == 1, event
        assert rows[0].ip == "127.0.0.1"
    assert admin  # the admin's own login is audited too
    assert {e.actor for e in await audit_rows(app, "login")} == {"admin", "alice"}


async def test_admins_query_the_account_events(
    client: httpx.AsyncClient,
    app: FastAPI,
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    user = await register(client, "alice", roles=["writer"], headers=admin)
    await client.patch(f"{API}/users/{user['id']}", json={"roles": ["reader"]}, headers=admin)
    await login(client, "alice", "wrong")

    role_changes = await client.get(f"{API}/audit", params={"event": "roleChange"}, headers=admin)
    failures = await client.get(
        f"{API}/audit", params={"event": "login", "outcome": "failure"}, headers=admin
    )

    (change,) = role_changes.json()["items"]
    assert (change["actor"], change["target"]) == ("admin", user["id"])
    assert change["details"]["before"] == ["writer"]
    assert change["requestId"]
    (failure,) = failures.json()["items"]
    assert failure["details"] == {"reason": "badPassword"}
    reader = bearer((await tokens(client, "alice"))["access_token"])
    assert (await client.get(f"{API}/audit", headers=reader)).status_code == 403


@pytest.mark.parametrize("since", ["0.5", "1700000000", "yesterday", "2026-01-31T12:00:00"])
async def test_since_takes_only_an_iso_timestamp_with_its_offset(
    client: httpx.AsyncClient, since: str
) -> None:
    """Fuzzing found ``since=0.5`` read as Unix time; the schema promises an RFC 3339 date-time."""
    admin = await bootstrap_admin(client)
    response = await client.get(f"{API}/audit", params={"since": since}, headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "since"]
    ok = await client.get(f"{API}/audit", params={"since": "2026-01-31T12:00:00Z"}, headers=admin)
    assert ok.status_code == 200


async def test_every_kind_of_account_event_is_recorded(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    user = await register(client, "alice", headers=admin)
    pair = await tokens(client, "alice")
    await refresh(client, pair["refresh_token"])
    await client.post(
        f"{API}/users/me/password",
        json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
        headers=bearer((await tokens(client, "alice"))["access_token"]),
    )
    await refresh(client, pair["refresh_token"])  # dead by now
    fresh = await tokens(client, "alice", NEW_PASSWORD)
    await client.post(f"{API}/logout/all", headers=bearer(fresh["access_token"]))
    await client.patch(f"{API}/users/{user['id']}", json={"roles": ["writer"]}, headers=admin)
    await client.patch(f"{API}/users/{user['id']}", json={"disabled": True}, headers=admin)
    await client.patch(f"{API}/users/{user['id']}", json={"disabled": False}, headers=admin)

    events = {(e.event, e.outcome) for e in await audit_rows(app)}

    assert events >= {
        ("register", "success"), ("login", "success"), ("tokenRefresh", "success"),
        ("tokenRefresh", "failure"), ("passwordChange", "success"),
        ("logoutEverywhere", "success"), ("roleChange", "success"),
        ("accountDisable", "success"), ("accountEnable", "success"),
    }  # fmt: skip


async def every_stored_value(app: FastAPI) -> list[tuple[str, str, str]]:
    """(table, column, text) for every cell of every KMS table, read with plain SQL."""

    def table_names(connection: Connection) -> list[str]:
        return [name for name in inspect(connection).get_table_names() if name.startswith("kms_")]

    cells: list[tuple[str, str, str]] = []
    async with app.state.engine.connect() as connection:
        for table in await connection.run_sync(table_names):
            result = await connection.execute(text(f'SELECT * FROM "{table}"'))
            for row in result.mappings():
                for column, value in row.items():
                    rendered = bytes(value).hex() if isinstance(value, bytes) else str(value)
                    cells.append((table, column, rendered))
    return cells


async def test_no_password_or_token_is_ever_stored_or_logged(
    client: httpx.AsyncClient, app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    await bootstrap_admin(client)
    await register(client, "alice")
    pair = await tokens(client, "alice")
    rotated = (await refresh(client, pair["refresh_token"])).json()
    await login(client, "alice", "a wrong guess of a password")
    await client.post(
        f"{API}/users/me/password",
        json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
        headers=bearer(rotated["access_token"]),
    )
    secrets = [
        SEED["password"], PASSWORD, NEW_PASSWORD, "a wrong guess of a password",
        pair["refresh_token"], rotated["refresh_token"],
        pair["refresh_token"].removeprefix("frt_"), rotated["refresh_token"].removeprefix("frt_"),
        pair["access_token"], rotated["access_token"],
        pair["access_token"].split(".")[2], rotated["access_token"].split(".")[2],
    ]  # fmt: skip

    cells = await every_stored_value(app)

    assert {table for table, _, _ in cells} >= {
        "kms_users",
        "kms_refresh_tokens",
        "kms_audit_events",
    }
    for secret in secrets:
        for table, column, value in cells:
            assert secret not in value, f"{table}.{column} holds a secret"
        assert secret not in caplog.text
    stored_hashes = {value for table, column, value in cells if column == "token_hash"}
    assert hashlib.sha256(rotated["refresh_token"].encode()).hexdigest() in stored_hashes
    hashes = [value for table, column, value in cells if column == "password_hash"]
    assert hashes
    assert all(value.startswith("$argon2id$") for value in hashes)
