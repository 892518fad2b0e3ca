"""The KMS publishes each revocation to the real Redis as it commits (the gateways' per-request
check), rewrites those in force at start-up, and never fails a request when Redis is down."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import select

from fountainai.core.auth.revocation_redis import RedisRevocationChecker, RevocationKeys
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import RevokedToken, User
from fountainai.services.kms.revocation.after_commit import publish_after_commit
from fountainai.services.kms.revocation.publisher import SubjectNotBefore
from tests.core.auth.redis_support import (
    REDIS_URL,
    UNREACHABLE_REDIS_URL,
    connected_redis,
    delete_keys,
)
from tests.services.kms.account_factories import (
    PASSWORD,
    bootstrap_admin,
    claims,
    kms_app,
    me,
    register,
    stepped_up,
    stored_user,
    tokens,
    update_rows,
    user_with_tokens,
)
from tests.services.kms.conftest import API, bearer

KEYS = RevocationKeys()  # the default prefix: the one the gateway reads
FAILURES = "fountain_kms_revocation_publish_failures_total"
PUBLISHED = "fountain_kms_revocations_published_total"
NEW_PASSWORD_BODY = {"currentPassword": PASSWORD, "newPassword": "a much better passphrase"}


@pytest.fixture
def settings(settings: KmsSettings) -> KmsSettings:
    return settings.model_copy(update={"revocation_redis_url": REDIS_URL})


@pytest.fixture
async def redis(app: FastAPI) -> AsyncIterator[Redis]:
    """The Redis the KMS publishes to; what this test's KMS revoked is deleted after."""
    async with connected_redis() as client:
        yield client
        await app.state.revocation_publisher.drain()
        async with app.state.sessionmaker() as session:
            jtis = list(await session.scalars(select(RevokedToken.jti)))
            subjects = list(await session.scalars(select(User.id)))
        await delete_keys(client, [*map(KEYS.token, jtis), *map(KEYS.subject, subjects)])


async def published(app: FastAPI) -> None:
    """Wait for the background writes the last commits started."""
    await app.state.revocation_publisher.drain()


async def revoked_in_redis(redis: Redis, access_token: str) -> bool:
    """What a gateway replica answers for this token (no cache)."""
    token = claims(access_token)
    check = RedisRevocationChecker(redis, cache_seconds=0)
    return await check.revokes(jti=token["jti"], subject=token["sub"], issued_at=token["iat"])


def sample(app: FastAPI, name: str, kind: str) -> float:
    value = app.state.metrics_registry.get_sample_value(name, {"kind": kind})
    return 0.0 if value is None else float(value)


async def test_logout_publishes_the_token_id_until_the_token_expires(
    client: httpx.AsyncClient, app: FastAPI, redis: Redis
) -> None:
    await register(client, "alice")
    pair, other = await tokens(client, "alice"), await tokens(client, "alice")

    response = await client.post(f"{API}/logout", headers=bearer(pair["access_token"]))
    await published(app)

    assert response.status_code == 204
    token = claims(pair["access_token"])
    assert await redis.get(KEYS.token(token["jti"])) == b"1"
    leeway = app.state.settings.auth_leeway_seconds
    remaining_ms = (token["exp"] + leeway - time.time()) * 1000
    assert remaining_ms - 5_000 < await redis.pttl(KEYS.token(token["jti"])) <= remaining_ms + 1_000
    assert await revoked_in_redis(redis, pair["access_token"])
    assert not await revoked_in_redis(redis, other["access_token"])
    assert sample(app, PUBLISHED, "token") == 1


async def test_logout_everywhere_publishes_the_users_not_before(
    client: httpx.AsyncClient, app: FastAPI, redis: Redis
) -> None:
    await register(client, "alice")
    laptop, phone = await tokens(client, "alice"), await tokens(client, "alice")

    response = await client.post(f"{API}/logout/all", headers=bearer(phone["access_token"]))
    await published(app)

    assert response.status_code == 204
    user = await stored_user(app, "alice")
    assert await redis.get(KEYS.subject(user.id)) == str(user.tokens_not_before).encode()
    assert await revoked_in_redis(redis, laptop["access_token"])
    assert await revoked_in_redis(redis, phone["access_token"])
    fresh = await tokens(client, "alice")
    assert not await revoked_in_redis(redis, fresh["access_token"])
    assert sample(app, PUBLISHED, "subject") == 1


@pytest.mark.parametrize("change", ["password", "roles", "disabled"])
async def test_password_role_and_disable_changes_publish_the_not_before(
    client: httpx.AsyncClient, app: FastAPI, redis: Redis, change: str
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    user, pair = await user_with_tokens(client, admin, "alice")
    body: dict[str, Any] = {"roles": ["writer"]} if change == "roles" else {"disabled": True}

    if change == "password":
        response = await client.post(
            f"{API}/users/me/password", json=NEW_PASSWORD_BODY, headers=bearer(pair["access_token"])
        )
    else:
        response = await client.patch(f"{API}/users/{user['id']}", json=body, headers=admin)
    await published(app)

    assert response.status_code in (200, 204), response.text
    stored = await stored_user(app, "alice")
    assert await redis.get(KEYS.subject(user["id"])) == str(stored.tokens_not_before).encode()
    assert await revoked_in_redis(redis, pair["access_token"])
    assert not await revoked_in_redis(redis, admin["Authorization"].removeprefix("Bearer "))


async def test_only_a_committed_revocation_is_published(
    client: httpx.AsyncClient, app: FastAPI, redis: Redis
) -> None:
    user_id = (await register(client, "alice"))["id"]
    now = int(time.time())

    async with app.state.sessionmaker() as session:
        publish_after_commit(session, SubjectNotBefore(user_id, now + 100))
        await session.rollback()
        await session.execute(select(1))
        await session.commit()  # the next transaction of the same session
        await published(app)
        assert await redis.exists(KEYS.subject(user_id)) == 0

        publish_after_commit(session, SubjectNotBefore(user_id, now))
        assert await redis.exists(KEYS.subject(user_id)) == 0  # not before the commit
        await session.commit()
    await published(app)
    assert await redis.get(KEYS.subject(user_id)) == str(now).encode()


async def test_start_up_rewrites_the_revocations_still_in_force(
    client: httpx.AsyncClient, app: FastAPI, redis: Redis, settings: KmsSettings
) -> None:
    await register(client, "alice")
    await register(client, "bob")
    logged_out, expired, last = [await tokens(client, "alice") for _ in range(3)]
    for pair in (logged_out, expired):
        await client.post(f"{API}/logout", headers=bearer(pair["access_token"]))
    await client.post(f"{API}/logout/all", headers=bearer(last["access_token"]))
    expired_jti = claims(expired["access_token"])["jti"]
    await update_rows(app, RevokedToken, RevokedToken.jti == expired_jti, expires_at=1)
    long_ago = int(time.time()) - settings.access_token_seconds - settings.auth_leeway_seconds - 5
    await update_rows(app, User, User.username == "bob", tokens_not_before=long_ago)
    await published(app)
    alice, bob = await stored_user(app, "alice"), await stored_user(app, "bob")
    logged_out_jti = claims(logged_out["access_token"])["jti"]
    flushed = [KEYS.token(logged_out_jti), KEYS.token(expired_jti), KEYS.subject(alice.id)]
    await delete_keys(redis, flushed)  # as a Redis restart would

    async with kms_app(settings) as (restarted, _):
        await published(restarted)
        assert sample(restarted, PUBLISHED, "resync") == 2

    assert await redis.get(KEYS.token(logged_out_jti)) == b"1"
    assert await redis.get(KEYS.subject(alice.id)) == str(alice.tokens_not_before).encode()
    assert await redis.exists(KEYS.token(expired_jti), KEYS.subject(bob.id)) == 0


async def test_with_redis_unreachable_logout_succeeds_and_the_failure_is_counted(
    settings: KmsSettings,
) -> None:
    down = settings.model_copy(update={"revocation_redis_url": UNREACHABLE_REDIS_URL})
    async with kms_app(down) as (app, client):
        await register(client, "alice")
        pair = await tokens(client, "alice")

        response = await client.post(f"{API}/logout", headers=bearer(pair["access_token"]))
        await published(app)

        assert response.status_code == 204
        assert sample(app, FAILURES, "token") == 1
        assert sample(app, PUBLISHED, "token") == 0
        assert (await me(client, pair["access_token"])).status_code == 401
        feed = (await client.get(f"{API}/revocations")).json()
        assert claims(pair["access_token"])["jti"] in feed["tokenIds"]


async def test_without_a_redis_url_nothing_is_published(settings: KmsSettings) -> None:
    off = settings.model_copy(update={"revocation_redis_url": ""})
    async with kms_app(off) as (app, client):
        await register(client, "alice")
        pair = await tokens(client, "alice")

        response = await client.post(f"{API}/logout", headers=bearer(pair["access_token"]))

        assert response.status_code == 204
        assert app.state.revocation_publisher is None
        assert app.state.metrics_registry.get_sample_value(FAILURES, {"kind": "token"}) is None
