"""The Redis backend: counts shared by every gateway process, one atomic Lua script call per
request (``redis_scripts``). Time is the Redis server's unless a ``clock`` is given (tests).

A Redis failure is raised (``redis.exceptions.RedisError``); what the gateway then does (fail
open with a warning metric, or fail closed with 503) is its configured choice, never a 500.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from redis.asyncio import Redis

from fountainai.gateway.ratelimit.quota import Decision, Quota
from fountainai.gateway.ratelimit.redis_scripts import CHECK_ALL, SLIDING_WINDOW, TOKEN_BUCKET

DEFAULT_PREFIX = "fountain:ratelimit"


class _Script(Protocol):
    def __call__(self, *, keys: Sequence[str], args: Sequence[Any]) -> Awaitable[Any]: ...


class ScriptHost(Protocol):
    """What the limiter needs of a client: redis-py's ``Redis`` or the gateway's
    ``PipelinedRedis``."""

    def register_script(self, script: str, /) -> Any: ...


class RedisLimiter:
    """Counts requests per (quota, key) in Redis hashes under ``prefix``; each expires once its
    state could no longer matter (two windows; one for a bucket, which is full again)."""

    def __init__(
        self,
        redis: Redis | ScriptHost,
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
        self._check_all = redis.register_script(CHECK_ALL)

    def _slot(self, quota: Quota, key: str) -> str:
        return f"{self.prefix}:{quota.name}:{quota.algorithm}:{quota.limit}:{quota.window}:{key}"

    def _now(self) -> str:
        return "" if self.clock is None else repr(self.clock())

    async def hit(self, quota: Quota, key: str) -> Decision:
        """Check one request of ``key`` against ``quota``, counting it if admitted."""
        answer = await self._scripts[quota.algorithm](
            keys=[self._slot(quota, key)], args=[quota.limit, quota.window, self._now()]
        )
        allowed, remaining, reset, retry_after = (int(value) for value in answer)
        return Decision(bool(allowed), remaining, reset, retry_after)

    async def hit_all(self, checks: Sequence[tuple[Quota, str]]) -> list[Decision]:
        """Check one request against several (quota, key)s in order, in one script call (one
        round trip); the first refusal stops, so the decisions end there."""
        if not checks:
            return []
        args: list[str | int] = [self._now()]
        for quota, _ in checks:
            args += [quota.algorithm, quota.limit, quota.window]
        keys = [self._slot(quota, key) for quota, key in checks]
        values = [int(value) for value in await self._check_all(keys=keys, args=args)]
        return [
            Decision(bool(values[i]), values[i + 1], values[i + 2], values[i + 3])
            for i in range(0, len(values), 4)
        ]
