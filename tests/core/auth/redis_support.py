"""The real Redis (127.0.0.1:6379, or FOUNTAIN_TEST_REDIS_URL) for the revocation tests of core
and of the KMS; unreachable: skipped locally, failed in CI."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Final

from redis.asyncio import Redis
from redis.exceptions import RedisError

from tests.conftest import unavailable

REDIS_URL: Final = os.environ.get("FOUNTAIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
UNREACHABLE_REDIS_URL: Final = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@asynccontextmanager
async def connected_redis() -> AsyncIterator[Redis]:
    """A client of the test Redis, closed after."""
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        unavailable(f"Redis at {REDIS_URL} is unreachable: {exc}")
    try:
        yield client
    finally:
        await client.aclose()


async def delete_keys(client: Redis, keys: Iterable[str] = (), *, pattern: str = "") -> None:
    """Remove what a test wrote: these keys, and those matching ``pattern``."""
    doomed = list(keys)
    if pattern:
        doomed += [key async for key in client.scan_iter(pattern)]
    if doomed:
        await client.delete(*doomed)
