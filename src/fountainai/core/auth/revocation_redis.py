"""Revocations in Redis: the KMS writes each one the moment it commits it, and every gateway
replica checks them per request, so a logout is honoured everywhere within a second.

The KMS feed (``GET /api/v1/revocations``) stays the source of truth and the backstop; Redis
only makes a revocation visible at once. The key layout, shared by writer and checker:

- ``<prefix>:jti:<jti>`` = ``1``: that token is dead; expires when the token would have
  expired, plus the verifiers' clock leeway.
- ``<prefix>:nbf:<subject>`` = epoch seconds: the subject's tokens issued before it are dead;
  it only ever rises, and lives as long as a token it kills could still be accepted.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:  # importing redis costs about half a second; services without it skip that
    from redis.asyncio import Redis

DEFAULT_PREFIX: Final = "fountain:revoked"
MAX_LEEWAY_SECONDS: Final = 300  # the most clock skew any verifier may be configured to allow
DEFAULT_CACHE_SIZE: Final = 10_000

# KEYS[1]: a subject's not-before key. ARGV[1]: not-before (epoch s). ARGV[2]: TTL (ms).
# Keeps the larger time and the longer life: a later, smaller time never lowers it.
RAISE_NOT_BEFORE: Final = """
local stored = redis.call('GET', KEYS[1])
local value = ARGV[1]
if stored and tonumber(stored) >= tonumber(value) then
  value = stored
end
local ttl = math.max(tonumber(ARGV[2]), redis.call('PTTL', KEYS[1]))
redis.call('SET', KEYS[1], value, 'PX', ttl)
return value
"""


@dataclass(frozen=True, slots=True)
class RevocationKeys:
    """Where a revocation lives in Redis (the one place both sides take the layout from)."""

    prefix: str = DEFAULT_PREFIX

    def token(self, jti: str) -> str:
        return f"{self.prefix}:jti:{jti}"

    def subject(self, subject: str) -> str:
        return f"{self.prefix}:nbf:{subject}"


class RedisRevocationWriter:
    """What the KMS calls after committing a revocation. Redis errors propagate."""

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        leeway_seconds: int = MAX_LEEWAY_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keys = RevocationKeys(prefix)
        self._redis = redis
        self._leeway_seconds = leeway_seconds
        self._clock = clock
        self._raise_not_before = redis.register_script(RAISE_NOT_BEFORE)

    async def revoke_token(self, jti: str, *, expires_at: int) -> None:
        """Mark one token dead until it would have expired (plus leeway); an expired one is
        skipped, as no verifier accepts it anyway."""
        dead_at = expires_at + self._leeway_seconds
        if dead_at <= self._clock():
            return
        await self._redis.set(self.keys.token(jti), 1, exat=dead_at)

    async def revoke_subject(self, subject: str, *, not_before: int, ttl_seconds: int) -> int:
        """Kill the subject's tokens issued before ``not_before``; the key lives at least
        ``ttl_seconds``. Answers the not-before now in force (never lower than before)."""
        in_force = await self._raise_not_before(
            keys=[self.keys.subject(subject)], args=[not_before, max(1, ttl_seconds) * 1000]
        )
        return int(in_force)


class MgetClient(Protocol):
    """What the checker needs of a client: redis-py's ``Redis`` or any with the same ``mget``
    (the gateway's pipelined client)."""

    async def mget(self, *keys: str) -> list[bytes | None]: ...


class RedisRevocationChecker:
    """Per-request check for the gateway: one round trip (MGET of the token's and the subject's
    keys). A "not revoked" answer is remembered per jti for ``cache_seconds`` (the most a
    revocation can go unseen), for at most ``max_cached`` tokens; a "revoked" answer is not
    cached. Redis errors propagate: the caller chooses to fail open or closed."""

    def __init__(
        self,
        redis: Redis | MgetClient,
        *,
        prefix: str = DEFAULT_PREFIX,
        cache_seconds: float = 0.5,
        max_cached: int = DEFAULT_CACHE_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keys = RevocationKeys(prefix)
        self._redis = redis
        self._cache_seconds = cache_seconds
        self._max_cached = max_cached
        self._clock = clock
        self._live_until: OrderedDict[str, float] = OrderedDict()  # jti -> when to ask again

    async def revokes(self, *, jti: str, subject: str, issued_at: int) -> bool:
        """Is this token dead: its jti revoked, or issued before its subject's not-before?"""
        now = self._clock()
        live_until = self._live_until.get(jti)
        if live_until is not None:
            if now < live_until:
                return False
            del self._live_until[jti]
        token_mark, not_before = await self._redis.mget(
            self.keys.token(jti), self.keys.subject(subject)
        )
        if token_mark is not None or (not_before is not None and issued_at < int(not_before)):
            return True
        self._remember_live(jti, now)  # from before the read: the conservative end
        return False

    def _remember_live(self, jti: str, now: float) -> None:
        if self._cache_seconds <= 0:
            return
        # Every entry lives equally long, so insertion order is expiry order: the oldest go first.
        self._live_until[jti] = now + self._cache_seconds
        while self._live_until:
            oldest, until = next(iter(self._live_until.items()))
            if until > now and len(self._live_until) <= self._max_cached:
                break
            del self._live_until[oldest]
