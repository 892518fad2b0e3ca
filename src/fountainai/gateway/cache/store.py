"""The contract both stores keep (``InProcessCache``, ``RedisCache``).

Entries live under the caller-computed key (``policy.cache_key``) and belong to a resource
path; ``invalidate(path)`` makes every entry of that path and of its ancestors
(``policy.resource_paths``) stale, for every identity and key, at once.

A request that misses fetches from the upstream, and a write may land meanwhile; storing the
older answer after it would serve stale data for a whole TTL. So ``lookup`` also returns a
``stamp``, and ``put(..., stamp=stamp)`` stores nothing if the path was invalidated since.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

from fountainai.gateway.cache.entry import CachedResponse

DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024
MAX_TTL_SECONDS = 86400  # CacheRule's own limit; longer TTLs are cut to it


class Lookup(NamedTuple):
    """A lookup's answer (``None``: a miss) and the stamp to store its replacement with."""

    response: CachedResponse | None
    stamp: int


class ResponseCache(Protocol):
    """A response store. Backend failures (Redis down) are raised, never hidden: the caller
    then treats the request as a bypass."""

    max_entry_bytes: int

    async def lookup(self, path: str, key: str) -> Lookup:
        """The fresh entry at ``key`` (``None`` if absent, expired or invalidated) and a stamp."""
        ...

    async def get(self, path: str, key: str) -> CachedResponse | None:
        """``lookup`` without the stamp."""
        ...

    async def put(
        self, path: str, key: str, response: CachedResponse, *, stamp: int | None = None
    ) -> bool:
        """Keep ``response`` for ``response.ttl`` seconds (at most ``MAX_TTL_SECONDS``).
        Returns whether it was stored: not if its ``size`` exceeds ``max_entry_bytes``, its
        TTL is not positive, or ``stamp`` is given and ``path`` was invalidated since."""
        ...

    async def invalidate(self, path: str) -> None:
        """Make every entry of ``path`` and of its ancestors stale."""
        ...
