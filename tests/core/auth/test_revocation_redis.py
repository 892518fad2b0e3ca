"""Revocations in Redis, against the real server: what the KMS writes, every gateway replica
sees within ``cache_seconds``; keys live as long as they matter; not-befores never go down."""

from __future__ import annotations

import time

import pytest
from redis.asyncio import ConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from fountainai.core.auth.revocation_redis import (
    RedisRevocationChecker,
    RedisRevocationWriter,
)
from tests.core.auth.helpers import ManualClock
from tests.core.auth.redis_support import UNREACHABLE_REDIS_URL

LEEWAY = 30
LIFETIME = 600
SLACK_MS = 5_000  # PTTL is read a moment after the write, on a shared machine


def writer(redis: Redis, prefix: str) -> RedisRevocationWriter:
    return RedisRevocationWriter(redis, prefix=prefix, leeway_seconds=LEEWAY)


def checker(
    redis: Redis, prefix: str, clock: ManualClock, *, max_cached: int = 100
) -> RedisRevocationChecker:
    return RedisRevocationChecker(
        redis, prefix=prefix, cache_seconds=0.5, max_cached=max_cached, clock=clock
    )


async def test_a_revoked_token_is_seen_and_others_are_not(redis: Redis, redis_prefix: str) -> None:
    now = int(time.time())
    check = checker(redis, redis_prefix, ManualClock())

    await writer(redis, redis_prefix).revoke_token("jti-1", expires_at=now + LIFETIME)

    assert await check.revokes(jti="jti-1", subject="alice", issued_at=now)
    assert not await check.revokes(jti="jti-2", subject="alice", issued_at=now)
    assert await redis.get(f"{redis_prefix}:jti:jti-1") == b"1"  # the layout the gateway reads


async def test_a_token_key_lives_as_long_as_the_token_plus_leeway(
    redis: Redis, redis_prefix: str
) -> None:
    expires_at = int(time.time()) + 120

    await writer(redis, redis_prefix).revoke_token("jti-1", expires_at=expires_at)

    remaining_ms = (expires_at + LEEWAY - time.time()) * 1000
    ttl_ms = await redis.pttl(f"{redis_prefix}:jti:jti-1")
    assert remaining_ms - SLACK_MS < ttl_ms <= remaining_ms + 1_000


async def test_an_expired_token_is_not_written(redis: Redis, redis_prefix: str) -> None:
    await writer(redis, redis_prefix).revoke_token(
        "jti-old", expires_at=int(time.time()) - LEEWAY - 1
    )

    assert await redis.exists(f"{redis_prefix}:jti:jti-old") == 0


async def test_a_not_before_kills_earlier_tokens_only(redis: Redis, redis_prefix: str) -> None:
    now = int(time.time())
    check = checker(redis, redis_prefix, ManualClock())

    answer = await writer(redis, redis_prefix).revoke_subject(
        "alice", not_before=now, ttl_seconds=LIFETIME
    )

    assert answer == now
    assert await check.revokes(jti="old", subject="alice", issued_at=now - 1)
    assert not await check.revokes(jti="new", subject="alice", issued_at=now)
    assert not await check.revokes(jti="bobs", subject="bob", issued_at=now - 1)
    ttl_ms = await redis.pttl(f"{redis_prefix}:nbf:alice")
    assert LIFETIME * 1000 - SLACK_MS < ttl_ms <= LIFETIME * 1000


async def test_a_not_before_keeps_the_largest_time_and_the_longest_life(
    redis: Redis, redis_prefix: str
) -> None:
    write = writer(redis, redis_prefix)
    key = f"{redis_prefix}:nbf:alice"

    assert await write.revoke_subject("alice", not_before=2_000, ttl_seconds=LIFETIME) == 2_000
    assert await write.revoke_subject("alice", not_before=1_500, ttl_seconds=10) == 2_000
    assert await redis.get(key) == b"2000"
    assert await redis.pttl(key) > (LIFETIME - 60) * 1000  # the short TTL did not shorten it

    assert await write.revoke_subject("alice", not_before=2_500, ttl_seconds=10) == 2_500
    assert await redis.get(key) == b"2500"
    assert await redis.pttl(key) > (LIFETIME - 60) * 1000


async def test_a_not_revoked_answer_is_reused_for_cache_seconds_at_most(
    redis: Redis, redis_prefix: str
) -> None:
    now = int(time.time())
    clock = ManualClock()
    check = checker(redis, redis_prefix, clock)
    assert not await check.revokes(jti="jti-1", subject="alice", issued_at=now)

    await writer(redis, redis_prefix).revoke_token("jti-1", expires_at=now + LIFETIME)

    clock.advance(0.49)
    assert not await check.revokes(jti="jti-1", subject="alice", issued_at=now)  # remembered
    clock.advance(0.01)
    assert await check.revokes(jti="jti-1", subject="alice", issued_at=now)
    clock.advance(10)
    assert await check.revokes(jti="jti-1", subject="alice", issued_at=now)  # never cached


async def test_every_replica_sees_a_revocation_within_cache_seconds(
    redis: Redis, redis_prefix: str
) -> None:
    now = int(time.time())
    clocks = [ManualClock(), ManualClock(50.0)]
    replicas = [checker(redis, redis_prefix, clock) for clock in clocks]
    for replica in replicas:
        assert not await replica.revokes(jti="jti-1", subject="alice", issued_at=now - 5)
        assert not await replica.revokes(jti="jti-2", subject="alice", issued_at=now - 5)
    clocks[0].advance(0.3)  # the replicas cached their answers at different moments

    write = writer(redis, redis_prefix)
    await write.revoke_token("jti-1", expires_at=now + LIFETIME)
    await write.revoke_subject("alice", not_before=now, ttl_seconds=LIFETIME)

    for clock in clocks:
        clock.advance(0.5)
    for replica in replicas:
        assert await replica.revokes(jti="jti-1", subject="alice", issued_at=now - 5)
        assert await replica.revokes(jti="jti-2", subject="alice", issued_at=now - 5)


async def test_the_cache_holds_at_most_max_cached_tokens(redis: Redis, redis_prefix: str) -> None:
    now = int(time.time())
    check = checker(redis, redis_prefix, ManualClock(), max_cached=2)
    for jti in ("first", "second", "third"):
        assert not await check.revokes(jti=jti, subject="alice", issued_at=now)

    write = writer(redis, redis_prefix)
    for jti in ("first", "third"):
        await write.revoke_token(jti, expires_at=now + LIFETIME)

    assert await check.revokes(jti="first", subject="alice", issued_at=now)  # evicted: asked
    assert not await check.revokes(jti="third", subject="alice", issued_at=now)  # still cached


async def test_no_cache_seconds_asks_redis_every_time(redis: Redis, redis_prefix: str) -> None:
    now = int(time.time())
    check = RedisRevocationChecker(redis, prefix=redis_prefix, cache_seconds=0)
    assert not await check.revokes(jti="jti-1", subject="alice", issued_at=now)

    await writer(redis, redis_prefix).revoke_token("jti-1", expires_at=now + LIFETIME)

    assert await check.revokes(jti="jti-1", subject="alice", issued_at=now)


async def test_redis_down_raises_for_the_caller_to_decide() -> None:
    pool = ConnectionPool.from_url(UNREACHABLE_REDIS_URL)
    down = Redis(connection_pool=pool, retry=Retry(NoBackoff(), retries=0))
    try:
        check = RedisRevocationChecker(down)
        with pytest.raises(RedisConnectionError):
            await check.revokes(jti="jti-1", subject="alice", issued_at=int(time.time()))
        with pytest.raises(RedisConnectionError):
            await RedisRevocationWriter(down).revoke_token("jti-1", expires_at=2**32)
    finally:
        await down.aclose(close_connection_pool=True)
