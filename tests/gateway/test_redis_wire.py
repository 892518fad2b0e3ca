"""The gateway's pipelined Redis client against the real Redis: replies matched in order under
concurrency, scripts reloaded after a flush, a lost connection failed fast and re-made, error
replies and timeouts raised as redis-py's exceptions, and the URL's database and password."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from fountainai.core.auth.revocation_redis import RedisRevocationChecker, RedisRevocationWriter
from fountainai.gateway.redis_wire import PipelinedRedis
from tests.gateway.conftest import REDIS_URL

ECHO = "return {KEYS[1], ARGV[1]}"


async def test_concurrent_calls_get_their_own_replies(pipelined: PipelinedRedis) -> None:
    script = pipelined.register_script(ECHO)
    values = [str(uuid.uuid4()) for _ in range(500)]
    replies = await asyncio.gather(*(script(keys=["k"], args=[value]) for value in values))
    assert [reply[1].decode() for reply in replies] == values


async def test_a_flushed_script_is_loaded_again(pipelined: PipelinedRedis, redis: Redis) -> None:
    script = pipelined.register_script(ECHO + " -- " + uuid.uuid4().hex)
    assert (await script(keys=["a"], args=["1"]))[1] == b"1"
    await redis.script_flush()
    assert (await script(keys=["a"], args=["2"]))[1] == b"2"


async def test_error_replies_raise_and_the_connection_stays_in_step(
    pipelined: PipelinedRedis,
) -> None:
    broken = pipelined.register_script("return redis.call('NOSUCHCOMMAND')")
    with pytest.raises(ResponseError):
        await broken(keys=[], args=[])
    assert await pipelined.ping()


async def test_a_lost_connection_fails_fast_and_is_made_again(
    pipelined: PipelinedRedis, redis: Redis
) -> None:
    own_id = await pipelined.execute("CLIENT", "ID")
    blocked = asyncio.ensure_future(pipelined.execute("BLPOP", f"nothing:{uuid.uuid4()}", 5))
    await asyncio.sleep(0.1)
    await redis.client_kill_filter(_id=own_id)
    with pytest.raises(RedisConnectionError):
        await blocked
    assert await pipelined.ping()
    assert await pipelined.execute("CLIENT", "ID") != own_id


async def test_a_slow_reply_times_out_and_later_replies_still_match(redis: Redis) -> None:
    client = PipelinedRedis(REDIS_URL, timeout=0.2)
    try:
        with pytest.raises(RedisTimeoutError):
            await client.execute("BLPOP", f"nothing:{uuid.uuid4()}", 1)
        await asyncio.sleep(1.0)  # the BLPOP's own (nil) reply arrives now and is dropped
        assert await client.execute("ECHO", "after") == b"after"
    finally:
        await client.aclose()


async def test_nothing_listening_is_a_connection_error() -> None:
    client = PipelinedRedis("redis://127.0.0.1:1/0", timeout=0.5)
    with pytest.raises(RedisConnectionError):
        await client.ping()


async def test_the_url_chooses_the_database(redis: Redis) -> None:
    key = f"test:gateway:{uuid.uuid4().hex}"
    await redis.set(key, "in-db-0", ex=30)
    other = PipelinedRedis(REDIS_URL.rsplit("/", 1)[0] + "/3", timeout=2.0)
    same = PipelinedRedis(REDIS_URL, timeout=2.0)
    try:
        assert await other.mget(key) == [None]
        assert await same.mget(key) == [b"in-db-0"]
    finally:
        await other.aclose()
        await same.aclose()
        await redis.delete(key)


async def test_a_wrong_password_is_refused(redis: Redis) -> None:
    host_port = REDIS_URL.removeprefix("redis://").split("/")[0]
    client = PipelinedRedis(f"redis://:not-the-password@{host_port}/0", timeout=2.0)
    try:
        with pytest.raises(ResponseError):  # no password set: AUTH itself is an error
            await client.ping()
    finally:
        await client.aclose()


def test_only_redis_urls() -> None:
    with pytest.raises(ValueError, match="redis://"):
        PipelinedRedis("http://127.0.0.1:6379", timeout=1)


async def test_the_revocation_checker_runs_on_it(pipelined: PipelinedRedis, redis: Redis) -> None:
    prefix = f"{redis.test_prefix}:revoked"  # type: ignore[attr-defined]
    checker = RedisRevocationChecker(pipelined, prefix=prefix, cache_seconds=0)
    jti = uuid.uuid4().hex
    assert not await checker.revokes(jti=jti, subject="ann", issued_at=100)
    await RedisRevocationWriter(redis, prefix=prefix).revoke_token(jti, expires_at=2**31)
    assert await checker.revokes(jti=jti, subject="ann", issued_at=100)
