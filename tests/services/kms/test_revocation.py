"""``GET /revocations`` and ``LocalRevocations``: what verifiers must reject, always fresh."""

from __future__ import annotations

import time

import httpx
import jwt
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.core.auth import RevocationFeed
from fountainai.services.kms.models import RevokedToken
from fountainai.services.kms.revocation.service import LocalRevocations
from tests.services.kms.account_factories import claims, register, stored_user, tokens
from tests.services.kms.conftest import API, bearer


async def feed(client: httpx.AsyncClient) -> dict[str, object]:
    response = await client.get(f"{API}/revocations")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_an_empty_kms_revokes_nothing(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/revocations")

    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (body["tokenIds"], body["keyIds"], body["subjectsNotBefore"]) == ([], [], {})
    assert abs(body["generatedAt"] - time.time()) < 5
    RevocationFeed.model_validate(body)


async def test_the_feed_is_open_and_holds_no_secrets(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    await client.post(f"{API}/logout", headers=bearer(pair["access_token"]))

    body = await feed(client)  # no credentials needed, like the JWKS

    text = str(body)
    assert "alice" not in text
    assert pair["access_token"] not in text
    assert pair["refresh_token"] not in text


async def test_a_logout_lists_the_jti_until_the_token_expires(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    jti = claims(pair["access_token"])["jti"]

    await client.post(f"{API}/logout", headers=bearer(pair["access_token"]))

    assert (await feed(client))["tokenIds"] == [jti]
    snapshot = await LocalRevocations(app.state.sessionmaker, app.state.keystore).snapshot()
    token = claims(pair["access_token"])
    assert snapshot.revokes(kid="k", jti=jti, subject=token["sub"], issued_at=token["iat"])


async def test_expired_revocations_leave_the_feed_and_are_purged(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    first, second = await tokens(client, "alice"), await tokens(client, "alice")
    await client.post(f"{API}/logout", headers=bearer(first["access_token"]))
    async with app.state.sessionmaker() as session:
        row = (await session.scalars(select(RevokedToken))).one()
        row.expires_at = int(time.time()) - 1
        await session.commit()

    assert (await feed(client))["tokenIds"] == []  # no longer needed: it has expired anyway
    await client.post(f"{API}/logout", headers=bearer(second["access_token"]))

    async with app.state.sessionmaker() as session:
        remaining = list(await session.scalars(select(RevokedToken.jti)))
    assert remaining == [claims(second["access_token"])["jti"]]


async def test_logout_everywhere_publishes_the_users_not_before(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await register(client, "alice")
    await register(client, "bob")
    pair = await tokens(client, "alice")

    await client.post(f"{API}/logout/all", headers=bearer(pair["access_token"]))

    not_before = (await stored_user(app, "alice")).tokens_not_before
    assert (await feed(client))["subjectsNotBefore"] == {user["id"]: not_before}
    assert not_before > claims(pair["access_token"])["iat"]


async def test_a_revoked_signing_key_is_listed_and_its_tokens_die_at_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register(client, "alice")
    pair = await tokens(client, "alice")
    kid = _kid(pair["access_token"])
    async with app.state.sessionmaker() as session:
        assert await app.state.keystore.revoke(session, kid)
        await session.commit()

    assert (await feed(client))["keyIds"] == [kid]
    assert (
        await client.get(f"{API}/users/me", headers=bearer(pair["access_token"]))
    ).status_code == 401
    fresh = await tokens(client, "alice")
    assert _kid(fresh["access_token"]) != kid
    assert (
        await client.get(f"{API}/users/me", headers=bearer(fresh["access_token"]))
    ).status_code == 200


def _kid(token: str) -> str:
    kid: str = jwt.get_unverified_header(token)["kid"]
    return kid
