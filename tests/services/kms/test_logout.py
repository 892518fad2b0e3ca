"""Ending sessions: logout, logout everywhere, password change; refresh is refused after each."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.services.kms.models import LoginThrottle, RefreshFamily, RevokedToken
from tests.services.kms.account_factories import (
    PASSWORD,
    audit_rows,
    claims,
    login,
    me,
    refresh,
    register,
    stored_user,
    tokens,
)
from tests.services.kms.conftest import API, bearer, mint_token

NEW_PASSWORD = "a much better passphrase"


async def families(app: FastAPI) -> dict[str, str | None]:
    async with app.state.sessionmaker() as session:
        rows = await session.scalars(select(RefreshFamily).order_by(RefreshFamily.created_at))
        return {row.id: row.revoked_reason for row in rows}


async def test_logout_revokes_the_access_token_and_the_refresh_family(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    other = await tokens(client, "alice")

    response = await client.post(
        f"{API}/logout",
        json={"refresh_token": pair["refresh_token"]},
        headers=bearer(pair["access_token"]),
    )

    assert response.status_code == 204
    assert (await me(client, pair["access_token"])).status_code == 401
    assert (await refresh(client, pair["refresh_token"])).status_code == 401
    assert list((await families(app)).values()) == ["logout", None]
    assert (await me(client, other["access_token"])).status_code == 200  # other session lives
    async with app.state.sessionmaker() as session:
        (revoked,) = await session.scalars(select(RevokedToken))
    token = claims(pair["access_token"])
    assert (revoked.jti, revoked.subject, revoked.expires_at) == (
        token["jti"], token["sub"], token["exp"],
    )  # fmt: skip
    (event,) = await audit_rows(app, "logout")
    assert (event.actor, event.details) == ("alice", {"familyRevoked": True})


async def test_logout_without_a_body_revokes_only_the_access_token(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")

    response = await client.post(f"{API}/logout", headers=bearer(pair["access_token"]))

    assert response.status_code == 204
    assert (await me(client, pair["access_token"])).status_code == 401
    assert (await refresh(client, pair["refresh_token"])).status_code == 200


async def test_logout_ignores_someone_elses_refresh_token(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    await register(client, "bob")
    alice, bob = await tokens(client, "alice"), await tokens(client, "bob")

    response = await client.post(
        f"{API}/logout",
        json={"refresh_token": bob["refresh_token"]},
        headers=bearer(alice["access_token"]),
    )

    assert response.status_code == 204
    assert (await refresh(client, bob["refresh_token"])).status_code == 200


async def test_logout_needs_a_user_access_token(client: httpx.AsyncClient, app: FastAPI) -> None:
    anonymous = await client.post(f"{API}/logout")
    junk = await client.post(f"{API}/logout", headers=bearer("x.y.z"))

    assert anonymous.status_code == junk.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"


async def test_logout_everywhere_ends_every_session(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    laptop, phone = await tokens(client, "alice"), await tokens(client, "alice")

    response = await client.post(f"{API}/logout/all", headers=bearer(phone["access_token"]))

    assert response.status_code == 204
    for pair in (laptop, phone):
        assert (await me(client, pair["access_token"])).status_code == 401
        assert (await refresh(client, pair["refresh_token"])).status_code == 401
    assert set((await families(app)).values()) == {"logoutEverywhere"}
    user = await stored_user(app, "alice")
    assert user.tokens_not_before > claims(phone["access_token"])["iat"] - 1
    fresh = await tokens(client, "alice")  # the same second: a new login still works
    assert (await me(client, fresh["access_token"])).status_code == 200
    assert (await refresh(client, fresh["refresh_token"])).status_code == 200
    (event,) = await audit_rows(app, "logoutEverywhere")
    assert event.details == {"familiesRevoked": 2}


async def test_changing_the_password_ends_every_session(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    old_hash = (await stored_user(app, "alice")).password_hash

    response = await client.post(
        f"{API}/users/me/password",
        json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
        headers=bearer(pair["access_token"]),
    )

    assert response.status_code == 204, response.text
    assert (await me(client, pair["access_token"])).status_code == 401
    assert (await refresh(client, pair["refresh_token"])).status_code == 401
    assert (await login(client, "alice")).status_code == 401
    assert (await login(client, "alice", NEW_PASSWORD)).status_code == 200
    user = await stored_user(app, "alice")
    assert user.password_hash != old_hash
    assert NEW_PASSWORD not in user.password_hash
    assert set((await families(app)).values()) == {"passwordChange", None}
    events = await audit_rows(app, "passwordChange")
    assert [(e.outcome, e.actor) for e in events] == [("success", "alice")]


async def test_a_wrong_current_password_is_refused_and_counted(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")

    response = await client.post(
        f"{API}/users/me/password",
        json={"currentPassword": "guess", "newPassword": NEW_PASSWORD},
        headers=bearer(pair["access_token"]),
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    async with app.state.sessionmaker() as session:
        counters = {row.key: row.failures for row in await session.scalars(select(LoginThrottle))}
    assert counters == {"acct:alice|ip:127.0.0.1": 1, "ip:127.0.0.1": 1}
    assert (await login(client, "alice")).status_code == 200  # unchanged
    (event,) = await audit_rows(app, "passwordChange")
    assert (event.outcome, event.details) == ("failure", {"reason": "badPassword"})
    assert (await me(client, pair["access_token"])).status_code == 200


async def test_the_new_password_follows_the_rules(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")

    response = await client.post(
        f"{API}/users/me/password",
        json={"currentPassword": PASSWORD, "newPassword": "short"},
        headers=bearer(pair["access_token"]),
    )

    assert response.status_code == 422
    assert (await me(client, pair["access_token"])).status_code == 200


async def test_a_token_without_an_account_has_no_profile(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    token = await mint_token(app, roles=["reader"])

    assert (await me(client, token)).status_code == 404
    response = await client.post(f"{API}/logout/all", headers=bearer(token))
    assert response.status_code == 404
