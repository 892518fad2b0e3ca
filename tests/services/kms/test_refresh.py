"""Refresh: rotation on every use, reuse detection per family, grace for parallel refreshes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.core.db import utcnow
from fountainai.services.kms.accounts.refresh import refresh_token_digest
from fountainai.services.kms.models import RefreshFamily, RefreshToken, User
from tests.services.kms.account_factories import (
    audit_rows,
    claims,
    me,
    refresh,
    register,
    tokens,
    update_rows,
)
from tests.services.kms.conftest import bearer

REJECTED = "The refresh token is invalid or expired; log in again."


async def rotate(client: httpx.AsyncClient, refresh_token: str) -> dict[str, str]:
    response = await refresh(client, refresh_token)
    assert response.status_code == 200, response.text
    pair: dict[str, str] = response.json()
    return pair


async def spend_long_ago(app: FastAPI, refresh_token: str) -> None:
    """Make a spent token's use older than the grace window."""
    digest = refresh_token_digest(refresh_token)
    long_ago = utcnow() - timedelta(minutes=5)
    await update_rows(app, RefreshToken, RefreshToken.token_hash == digest, used_at=long_ago)


async def family_of(app: FastAPI) -> RefreshFamily:
    async with app.state.sessionmaker() as session:
        family: RefreshFamily = (await session.scalars(select(RefreshFamily))).one()
        return family


async def assert_rejected(client: httpx.AsyncClient, refresh_token: str) -> None:
    response = await refresh(client, refresh_token)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == REJECTED


async def test_every_use_rotates(client: httpx.AsyncClient, app: FastAPI) -> None:
    await register(client, "alice")
    first = await tokens(client, "alice")

    response = await refresh(client, first["refresh_token"])
    second = response.json()
    third = await rotate(client, second["refresh_token"])

    assert response.headers["cache-control"] == "no-store"
    assert second["refresh_token"] != first["refresh_token"]
    assert third["refresh_token"] not in (first["refresh_token"], second["refresh_token"])
    assert second["token_type"] == "Bearer"
    assert (await me(client, third["access_token"])).status_code == 200
    login_claims, refreshed_claims = claims(first["access_token"]), claims(third["access_token"])
    assert refreshed_claims["auth_time"] == login_claims["auth_time"]
    assert refreshed_claims["amr"] == ["pwd"]
    assert refreshed_claims["jti"] != login_claims["jti"]
    async with app.state.sessionmaker() as session:
        rows = list(await session.scalars(select(RefreshToken).order_by(RefreshToken.issued_at)))
    assert [row.used_at is not None for row in rows] == [True, True, False]
    assert rows[1].parent_id == rows[0].id
    assert rows[2].parent_id == rows[1].id
    assert len({row.family_id for row in rows}) == 1
    events = await audit_rows(app, "tokenRefresh")
    assert [(e.outcome, e.actor) for e in events] == [("success", "alice")] * 2


async def test_reuse_after_the_grace_window_kills_the_family(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    first = await tokens(client, "alice")
    second = await rotate(client, first["refresh_token"])
    await spend_long_ago(app, first["refresh_token"])

    await assert_rejected(client, first["refresh_token"])

    await assert_rejected(client, second["refresh_token"])  # the newest one dies too
    family = await family_of(app)
    assert family.revoked_reason == "reuse"
    (reuse,) = await audit_rows(app, "refreshReuseDetected")
    assert reuse.target == claims(first["access_token"])["sub"]
    assert reuse.details["familyId"] == family.id
    assert reuse.request_id


async def test_grandparent_replay_kills_the_family_even_inside_the_grace_window(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    grandparent = await tokens(client, "alice")
    parent = await rotate(client, grandparent["refresh_token"])
    child = await rotate(client, parent["refresh_token"])

    await assert_rejected(client, grandparent["refresh_token"])

    await assert_rejected(client, child["refresh_token"])
    assert (await family_of(app)).revoked_reason == "reuse"


async def test_parallel_refreshes_of_the_same_token_both_succeed(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")

    results = await asyncio.gather(*(refresh(client, pair["refresh_token"]) for _ in range(2)))

    assert [r.status_code for r in results] == [200, 200], [r.text for r in results]
    first, second = (r.json() for r in results)
    assert first["refresh_token"] != second["refresh_token"]
    assert (await family_of(app)).revoked_at is None
    await rotate(client, first["refresh_token"])
    # Now a child of the original has been used: replaying the original is reuse.
    await assert_rejected(client, pair["refresh_token"])


async def test_a_replay_outside_the_grace_window_is_reuse(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    await rotate(client, pair["refresh_token"])
    await spend_long_ago(app, pair["refresh_token"])

    await assert_rejected(client, pair["refresh_token"])

    assert (await family_of(app)).revoked_reason == "reuse"


async def test_two_logins_are_two_families(client: httpx.AsyncClient, app: FastAPI) -> None:
    await register(client, "alice")
    laptop, phone = await tokens(client, "alice"), await tokens(client, "alice")
    await rotate(client, laptop["refresh_token"])
    await spend_long_ago(app, laptop["refresh_token"])
    await assert_rejected(client, laptop["refresh_token"])

    await rotate(client, phone["refresh_token"])  # the other login is untouched


async def test_refresh_issues_the_users_current_roles(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    await update_rows(app, User, User.username == "alice", roles=["writer"])

    refreshed = await rotate(client, pair["refresh_token"])

    assert claims(refreshed["access_token"])["roles"] == ["writer"]
    assert refreshed["scope"] == "story:read story:write"


async def test_the_absolute_lifetime_is_enforced(client: httpx.AsyncClient, app: FastAPI) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    fresh = await rotate(client, pair["refresh_token"])
    past = utcnow() - timedelta(seconds=1)
    await update_rows(app, RefreshFamily, RefreshFamily.revoked_at.is_(None), expires_at=past)

    await assert_rejected(client, fresh["refresh_token"])
    (failure,) = [e for e in await audit_rows(app, "tokenRefresh") if e.outcome == "failure"]
    assert failure.details["reason"] == "familyExpired"


async def test_an_idle_token_expires(client: httpx.AsyncClient, app: FastAPI) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    digest = refresh_token_digest(pair["refresh_token"])
    past = utcnow() - timedelta(seconds=1)
    await update_rows(app, RefreshToken, RefreshToken.token_hash == digest, expires_at=past)

    await assert_rejected(client, pair["refresh_token"])


async def test_a_new_token_never_outlives_its_family(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    soon = utcnow() + timedelta(seconds=100)
    await update_rows(app, RefreshFamily, RefreshFamily.revoked_at.is_(None), expires_at=soon)

    refreshed = await rotate(client, pair["refresh_token"])

    assert 90 <= int(refreshed["refresh_token_expires_in"]) <= 100


async def test_junk_is_rejected_and_not_a_server_error(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")

    for junk in ("frt_", "frt_" + "A" * 43, "nope", pair["access_token"][:190], "frt_'--"):
        await assert_rejected(client, junk)
    nul = await refresh(client, "frt_\x00'--")  # not storable text: malformed, 422
    assert nul.status_code == 422, nul.text


async def test_tokens_are_not_interchangeable(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")

    as_access = await client.get("/api/v1/users/me", headers=bearer(pair["refresh_token"]))

    assert as_access.status_code == 401
    assert (await refresh(client, pair["access_token"])).status_code in (401, 422)
