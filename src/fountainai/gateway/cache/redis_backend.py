"""The Redis store: answers shared by every gateway process.

Each resource path has a generation counter (``<prefix>:gen:<path>``, absent = 0); an entry
(``<prefix>:entry:<key>``) is stored as ``<generation>\\n<CachedResponse bytes>`` with its TTL
and counts only while its path's generation is unchanged. So ``invalidate`` is one INCR per
ancestor path, in one round trip, whatever the number of identities and keys (no SCAN); a
lookup is one MGET of the generation and the entry; a put is one Lua script that stores only
if the generation is still the one the lookup saw (its stamp).

A generation key lives ``GENERATION_TTL_SECONDS`` after the last write or put on its path,
longer than any entry made under it, so a counter can only restart at 0 once every entry it
counted has expired. Redis failures are raised (``redis.exceptions.RedisError``).
"""

from __future__ import annotations

import math
from typing import cast

from redis.asyncio import Redis

from fountainai.gateway.cache.entry import CachedResponse
from fountainai.gateway.cache.policy import resource_paths
from fountainai.gateway.cache.store import DEFAULT_MAX_ENTRY_BYTES, MAX_TTL_SECONDS, Lookup

DEFAULT_PREFIX = "fountain:cache"
GENERATION_TTL_SECONDS = 2 * MAX_TTL_SECONDS

# KEYS: generation, entry. ARGV: expected generation ('' = any), payload, TTL ms, generation TTL ms.
PUT_SCRIPT = """
local generation = redis.call('GET', KEYS[1]) or '0'
if ARGV[1] ~= '' and ARGV[1] ~= generation then
  return 0
end
redis.call('SET', KEYS[2], generation .. '\\n' .. ARGV[2], 'PX', ARGV[3])
if generation ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return 1
"""


class RedisCache:
    """Entries in Redis under ``prefix``. The client must return bytes (no
    ``decode_responses``): bodies are binary."""

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
    ) -> None:
        if redis.connection_pool.connection_kwargs.get("decode_responses"):
            raise ValueError("RedisCache needs a client without decode_responses")
        self.redis = redis
        self.prefix = prefix
        self.max_entry_bytes = max_entry_bytes
        self._put = redis.register_script(PUT_SCRIPT)

    def generation_key(self, path: str) -> bytes:
        """The generation counter's key for ``path`` (one of ``resource_paths``)."""
        return f"{self.prefix}:gen:".encode() + path.encode("utf-8", "surrogatepass")

    def entry_key(self, key: str) -> str:
        return f"{self.prefix}:entry:{key}"

    async def lookup(self, path: str, key: str) -> Lookup:
        """The fresh entry at ``key`` (``None`` if absent, expired or invalidated) and a stamp
        (the path's generation)."""
        resource = resource_paths(path)[0]
        raw_generation, raw_entry = await self.redis.mget(
            [self.generation_key(resource), self.entry_key(key)]
        )
        generation = int(raw_generation or 0)
        if raw_entry is None:
            return Lookup(None, generation)
        entry_generation, _, payload = cast(bytes, raw_entry).partition(b"\n")
        if entry_generation != str(generation).encode():
            return Lookup(None, generation)
        try:
            response = CachedResponse.from_bytes(payload)
        except ValueError:  # written by another version of the format: a miss, then replaced
            return Lookup(None, generation)
        return Lookup(response, generation)

    async def get(self, path: str, key: str) -> CachedResponse | None:
        """``lookup`` without the stamp."""
        return (await self.lookup(path, key)).response

    async def put(
        self, path: str, key: str, response: CachedResponse, *, stamp: int | None = None
    ) -> bool:
        """Keep ``response`` for ``response.ttl`` seconds; see ``ResponseCache.put``."""
        if response.ttl <= 0 or response.size > self.max_entry_bytes:
            return False
        resource = resource_paths(path)[0]
        ttl_ms = max(1, math.ceil(min(response.ttl, MAX_TTL_SECONDS) * 1000))
        stored = await self._put(
            keys=[self.generation_key(resource), self.entry_key(key)],
            args=[
                "" if stamp is None else str(stamp),
                response.to_bytes(),
                ttl_ms,
                GENERATION_TTL_SECONDS * 1000,
            ],
        )
        return bool(stored)

    async def invalidate(self, path: str) -> None:
        """Make every entry of ``path`` and of its ancestors stale: one INCR each, one round
        trip."""
        async with self.redis.pipeline(transaction=True) as pipe:
            for resource in resource_paths(path):
                pipe.incr(self.generation_key(resource))
                pipe.pexpire(self.generation_key(resource), GENERATION_TTL_SECONDS * 1000)
            await pipe.execute()
