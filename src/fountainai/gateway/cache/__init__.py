"""The gateway's response cache for GET and HEAD (issue 7).

Keyed by the caller's identity, the method (HEAD shares GET's entry), the path, the route's
chosen query parameters and headers (``cache_key``); kept for the route's TTL, which upstream
``Cache-Control`` / ``Expires`` can only shorten or forbid (``storable_ttl``); skipped by
requests that ask for a fresh answer (``request_bypasses``); made stale by a write to the same
path or a descendant (``resource_paths``, ``ResponseCache.invalidate``). Two stores keep one
contract (``ResponseCache``): ``InProcessCache`` (bounded LRU) and ``RedisCache`` (shared by
every gateway process; O(1) invalidation by generation counters).
"""

from fountainai.gateway.cache.entry import CachedResponse
from fountainai.gateway.cache.headers import (
    CACHE_STATUS_HEADER,
    CacheStatus,
    age_header,
    cache_status_header,
    storable_headers,
)
from fountainai.gateway.cache.memory import InProcessCache
from fountainai.gateway.cache.policy import (
    CACHEABLE_METHODS,
    CACHEABLE_STATUSES,
    BypassReason,
    cache_key,
    invalidating,
    query_params,
    request_bypasses,
    resource_paths,
    rule_covers,
    storable_ttl,
)
from fountainai.gateway.cache.redis_backend import RedisCache
from fountainai.gateway.cache.store import DEFAULT_MAX_ENTRY_BYTES, Lookup, ResponseCache

__all__ = [
    "CACHEABLE_METHODS",
    "CACHEABLE_STATUSES",
    "CACHE_STATUS_HEADER",
    "DEFAULT_MAX_ENTRY_BYTES",
    "BypassReason",
    "CacheStatus",
    "CachedResponse",
    "InProcessCache",
    "Lookup",
    "RedisCache",
    "ResponseCache",
    "age_header",
    "cache_key",
    "cache_status_header",
    "invalidating",
    "query_params",
    "request_bypasses",
    "resource_paths",
    "rule_covers",
    "storable_headers",
    "storable_ttl",
]
