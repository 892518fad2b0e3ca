"""The real Redis at 127.0.0.1:6379 (override with FOUNTAIN_TEST_REDIS_URL) for the gateway's
Redis backends; unreachable: skipped locally, failed in CI."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from fountainai.gateway.redis_wire import PipelinedRedis
from tests.conftest import unavailable

REDIS_URL = os.environ.get("FOUNTAIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    """A client whose ``test_prefix`` attribute is a fresh key prefix; its keys are deleted after.

    Requests queue for one of a few connections, as the gateway's do.
    """
    client = Redis(connection_pool=BlockingConnectionPool.from_url(REDIS_URL, max_connections=16))
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose(close_connection_pool=True)
        unavailable(f"Redis at {REDIS_URL} is unreachable: {exc}")
    prefix = f"test:gateway:{uuid.uuid4().hex}"
    client.test_prefix = prefix  # type: ignore[attr-defined]
    yield client
    async for key in client.scan_iter(f"{prefix}:*"):
        await client.delete(key)
    await client.aclose(close_connection_pool=True)


@pytest.fixture
async def pipelined(redis: Redis) -> AsyncIterator[PipelinedRedis]:
    """The gateway's hot-path client on the same Redis (after ``redis`` checked it is up)."""
    client = PipelinedRedis(REDIS_URL, timeout=2.0)
    yield client
    await client.aclose()
