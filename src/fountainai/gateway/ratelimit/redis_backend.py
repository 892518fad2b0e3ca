"""The Redis backend: counts shared by every gateway process, one atomic Lua script call per
request (``redis_scripts``). Time is the Redis server's unless a ``clock`` is given (tests).

A Redis failure is raised (``redis.exceptions.RedisError``); what the gateway then does (fail
open with a warning metric, or fail closed with 503) is its configured choice, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from redis.asyncio import Redis

from fountainai.gateway.ratelimit.quota import Decision, Quota
from fountainai.gateway.ratelimit.redis_scripts import SLIDING_WINDOW, TOKEN_BUCKET

DEFAULT_PREFIX = "fountain:ratelimit"


class RedisLimiter:
    """Counts requests per (quota, key) in Redis hashes under ``prefix``; each expires once its
    state could no longer matter (two windows; one for a bucket, which is full again)."""

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.clock = clock
        self._scripts = {
            "sliding-window": redis.register_script(SLIDING_WINDOW),
            "token-bucket": redis.register_script(TOKEN_BUCKET),
        }

    async def hit(self, quota: Quota, key: str) -> Decision:
        """Check one request of ``key`` against ``quota``, counting it if admitted."""
        slot = f"{self.prefix}:{quota.name}:{quota.algorithm}:{quota.limit}:{quota.window}:{key}"
        now = "" if self.clock is None else repr(self.clock())
        answer = await self._scripts[quota.algorithm](
            keys=[slot], args=[quota.limit, quota.window, now]
        )
        allowed, remaining, reset, retry_after = (int(value) for value in answer)
        return Decision(bool(allowed), remaining, reset, retry_after)
