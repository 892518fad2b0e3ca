"""Password login: the OAuth-style answer, one generic failure, rehash on changed parameters."""

from __future__ import annotations

import time

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.core.db import utcnow
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import RefreshFamily, RefreshToken, User
from tests.services.kms.account_factories import (
    LOGIN_FAILED,
    PASSWORD,
    audit_rows,
    bootstrap_admin,
    claims,
    fullwidth,
    kms_app,
    login,
    me,
    register,
    stored_user,
    tokens,
    update_rows,
)
from tests.services.kms.conftest import API


async def test_login_answers_an_oauth_style_token_pair(
    client: httpx.AsyncClient, app: FastAPI, settings: KmsSettings
) -> None:
    user = await register(client, "alice")
    before = int(time.time())

    response = await login(client, "alice")

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    body = response.json()
    assert set(body) == {
        "access_token", "refresh_token", "token_type", "expires_in",
        "refresh_token_expires_in", "scope", "amr",
    }  # fmt: skip
    assert body["amr"] == ["pwd"]
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.access_token_seconds
    assert body["refresh_token_expires_in"] == pytest.approx(
        settings.refresh_token_idle_seconds, abs=2
    )
    assert body["scope"] == "story:read"
    assert body["refresh_token"].startswith("frt_")
    token = claims(body["access_token"])
    assert token["sub"] == user["id"]
    assert token["roles"] == ["reader"]
    assert token["amr"] == ["pwd"]
    assert token["preferred_username"] == "alice"
    assert before <= token["auth_time"] <= token["iat"] <= int(time.time())
    assert (await me(client, body["access_token"])).json()["username"] == "alice"
    async with app.state.sessionmaker() as session:
        family = (await session.scalars(select(RefreshFamily))).one()
        assert family.user_id == user["id"]
        assert family.amr == ["pwd"]
        assert (family.expires_at - utcnow()).total_seconds() == pytest.approx(
            settings.refresh_token_absolute_seconds, abs=5
        )
        stored = (await session.scalars(select(RefreshToken))).one()
        assert stored.parent_id is None
        assert stored.used_at is None
    (event,) = await audit_rows(app, "login")
    assert (event.outcome, event.actor, event.target) == ("success", "alice", user["id"])


async def test_the_seed_login_works_at_the_root_path(client: httpx.AsyncClient) -> None:
    await client.post(
        "/register", json={"username": "admin", "password": "secure123", "roles": "admin"}
    )

    response = await client.post("/login", json={"username": "admin", "password": "secure123"})

    assert response.status_code == 200, response.text
    assert claims(response.json()["access_token"])["roles"] == ["admin"]
    assert response.json()["scope"] == "admin story:read story:write"


async def test_login_is_case_and_width_insensitive(client: httpx.AsyncClient) -> None:
    await register(client, "alice")

    for spelling in ("ALICE", fullwidth("Alice"), " alice "):
        assert (await login(client, spelling)).status_code == 200


def _same_failure(first: httpx.Response, second: httpx.Response) -> None:
    assert first.status_code == second.status_code == 401
    ignored = {"request_id", "instance"}
    assert {k: v for k, v in first.json().items() if k not in ignored} == {
        k: v for k, v in second.json().items() if k not in ignored
    }
    skip = {"x-request-id", "content-length"}
    assert {k: v for k, v in first.headers.items() if k not in skip} == {
        k: v for k, v in second.headers.items() if k not in skip
    }
    assert first.headers["content-length"] == second.headers["content-length"]


async def test_unknown_user_and_wrong_password_are_indistinguishable(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")

    unknown = await login(client, "bob")
    wrong = await login(client, "alice", "wrong password")

    _same_failure(unknown, wrong)
    assert unknown.json()["detail"] == LOGIN_FAILED
    assert unknown.headers["content-type"] == "application/problem+json"
    reasons = [e.details["reason"] for e in await audit_rows(app, "login")]
    assert reasons == ["unknownUser", "badPassword"]


async def test_a_disabled_account_fails_like_a_wrong_password(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    await update_rows(app, User, User.username == "alice", disabled_at=utcnow())

    disabled = await login(client, "alice")
    wrong = await login(client, "alice", "wrong password")

    _same_failure(disabled, wrong)
    assert [e.details["reason"] for e in await audit_rows(app, "login")] == [
        "disabled", "badPassword",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("admin' OR '1'='1", "x' OR '1'='1"),
        ("admin'--", "anything"),
        ("admin", "' OR 1=1; DROP TABLE kms_users; --"),
        ('"; SELECT pg_sleep(5); --', "x"),
        ("admin\\", "\\'"),
        ("%", "%"),
    ],
)
async def test_sql_injection_is_just_a_wrong_credential(
    client: httpx.AsyncClient, app: FastAPI, username: str, password: str
) -> None:
    await register(client, "admin", "secure123", roles="admin")

    response = await login(client, username, password)

    assert response.status_code == 401, response.text
    assert response.json()["detail"] == LOGIN_FAILED
    assert (await login(client, "admin", "secure123")).status_code == 200


@pytest.mark.parametrize(("username", "password"), [("admin\x00", "secure123"), ("admin", "x\x00")])
async def test_unstorable_text_is_422_before_any_credential_check(
    client: httpx.AsyncClient, app: FastAPI, username: str, password: str
) -> None:
    """NUL is not text PostgreSQL stores: a malformed request (the same 422 whether or not the
    account exists), never a 500."""
    await register(client, "admin", "secure123", roles="admin")

    response = await login(client, username, password)

    assert response.status_code == 422, response.text
    assert "NUL characters or unpaired surrogates" in response.text
    assert (await login(client, "admin", "secure123")).status_code == 200


async def test_login_rehashes_when_the_argon2_parameters_change(settings: KmsSettings) -> None:
    async with kms_app(settings) as (app, client):
        await register(client, "alice")
        old_hash = (await stored_user(app, "alice")).password_hash
    assert "m=64,t=1,p=1" in old_hash

    stronger = settings.model_copy(update={"argon2_memory_kib": 128, "argon2_time_cost": 2})
    async with kms_app(stronger) as (app, client):
        await tokens(client, "alice")
        new_hash = (await stored_user(app, "alice")).password_hash
        await tokens(client, "alice")
        assert (await stored_user(app, "alice")).password_hash == new_hash  # once only

    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$")
    assert "m=128,t=2,p=1" in new_hash


async def test_login_needs_both_fields(client: httpx.AsyncClient) -> None:
    for body in ({"username": "a"}, {"password": "b"}, {"username": "a", "password": "b", "x": 1}):
        response = await client.post(f"{API}/login", json=body)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"


async def test_the_access_token_carries_current_roles_of_an_admin(
    client: httpx.AsyncClient,
) -> None:
    admin = await bootstrap_admin(client)
    await register(client, "writer1", roles=["writer"], headers=admin)

    token = claims((await tokens(client, "writer1", PASSWORD))["access_token"])

    assert token["roles"] == ["writer"]
    assert token["scope"] == "story:read story:write"
