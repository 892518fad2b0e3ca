"""The in-process store (the embedded default): one process's answers in a dict bounded by
total bytes, least recently used first out, expired entries dropped when met.

Every method runs without an ``await`` inside, so it is atomic on its event loop. Answers are
per process: several gateway processes share one cache only through ``RedisCache``."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fountainai.gateway.cache.entry import CachedResponse
from fountainai.gateway.cache.policy import resource_paths
from fountainai.gateway.cache.store import DEFAULT_MAX_ENTRY_BYTES, MAX_TTL_SECONDS, Lookup

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_REMEMBERED_WRITES = 10_000
# Python's own cost of an entry beyond its bytes: the slot, the key string, the dict and set
# entries (~500 bytes), and each header's tuple and bytes objects (~120 bytes).
ENTRY_OVERHEAD = 512
HEADER_OVERHEAD = 128


def charge(response: CachedResponse) -> int:
    """The memory ``response`` is counted as holding in the store."""
    return response.size + ENTRY_OVERHEAD + HEADER_OVERHEAD * len(response.headers)


@dataclass(slots=True)
class _Slot:
    path: str
    expires: float
    response: CachedResponse
    charge: int


class InProcessCache:
    """Entries indexed by key and by resource path (so a write drops its paths' entries at
        once). ``max_bytes`` bounds the memory the entries hold (``charge``: their bytes plus an
    estimate of Python's own overhead), added up.

        Stamps count invalidations; the last one of each of the ``max_remembered_writes`` most
        recently written paths is kept to check ``put``'s stamp. A stamp older than the oldest
        forgotten write cannot be checked, so its ``put`` stores nothing (a miss, never stale)."""

    def __init__(
        self,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
        max_remembered_writes: int = DEFAULT_MAX_REMEMBERED_WRITES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_bytes < 1 or max_entry_bytes < 1 or max_remembered_writes < 1:
            raise ValueError("max_bytes, max_entry_bytes and max_remembered_writes must be >= 1")
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.max_remembered_writes = max_remembered_writes
        self.clock = clock
        self._entries: OrderedDict[str, _Slot] = OrderedDict()
        self._keys_by_path: dict[str, set[str]] = {}
        self._bytes = 0
        self._writes = 0
        self._last_write: OrderedDict[str, int] = OrderedDict()
        self._forgotten_writes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def total_bytes(self) -> int:
        """Every entry's ``charge``, added up (at most ``max_bytes``)."""
        return self._bytes

    async def lookup(self, path: str, key: str) -> Lookup:
        """The fresh entry at ``key`` (``None`` if absent or expired) and a stamp."""
        slot = self._entries.get(key)
        if slot is None:
            return Lookup(None, self._writes)
        if slot.expires <= self.clock():
            self._drop(key)
            return Lookup(None, self._writes)
        self._entries.move_to_end(key)
        return Lookup(slot.response, self._writes)

    async def get(self, path: str, key: str) -> CachedResponse | None:
        """``lookup`` without the stamp."""
        return (await self.lookup(path, key)).response

    async def put(
        self, path: str, key: str, response: CachedResponse, *, stamp: int | None = None
    ) -> bool:
        """Keep ``response`` for ``response.ttl`` seconds; see ``ResponseCache.put``."""
        resource = resource_paths(path)[0]
        cost = charge(response)
        if response.ttl <= 0 or response.size > self.max_entry_bytes or cost > self.max_bytes:
            return False
        if stamp is not None and (
            stamp < self._forgotten_writes or self._last_write.get(resource, 0) > stamp
        ):
            return False
        self._drop(key)
        ttl = min(response.ttl, MAX_TTL_SECONDS)
        self._entries[key] = _Slot(resource, self.clock() + ttl, response, cost)
        self._keys_by_path.setdefault(resource, set()).add(key)
        self._bytes += cost
        while self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))
        return True

    async def invalidate(self, path: str) -> None:
        """Drop every entry of ``path`` and of its ancestors."""
        self._writes += 1
        for resource in resource_paths(path):
            for key in self._keys_by_path.pop(resource, set()):
                self._drop(key)
            self._last_write[resource] = self._writes
            self._last_write.move_to_end(resource)
        while len(self._last_write) > self.max_remembered_writes:
            _, self._forgotten_writes = self._last_write.popitem(last=False)

    def _drop(self, key: str) -> None:
        slot = self._entries.pop(key, None)
        if slot is None:
            return
        self._bytes -= slot.charge
        keys = self._keys_by_path.get(slot.path)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._keys_by_path[slot.path]
