"""The response cache in the proxy's path: look up before the upstream call, store the answer
after it, invalidate on writes; ``X-Cache-Status`` on every answer of a cached route. A store
failure (Redis down) is a ``Bypass``, never an error."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import Scope, Send

from fountainai.core.auth import Principal
from fountainai.core.logging import get_logger
from fountainai.gateway.cache import (
    CACHEABLE_METHODS,
    CachedResponse,
    CacheStatus,
    ResponseCache,
    age_header,
    cache_key,
    cache_status_header,
    request_bypasses,
    rule_covers,
    storable_headers,
    storable_ttl,
)
from fountainai.gateway.forwarding import Header
from fountainai.gateway.metrics import GatewayMetrics
from fountainai.gateway.routes import CacheRule, Route

log = get_logger(__name__)


@dataclass
class Lookup:
    """One request's dealings with the cache."""

    answered: bool = False
    status: int = 0
    headers: list[Header] = field(default_factory=list)
    key: str | None = None
    stamp: int | None = None
    rule: CacheRule | None = None
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    limit: int = 0
    tee: Callable[[bytes], None] | None = None

    def keep(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size <= self.limit:
            self.chunks.append(chunk)


_NOT_CACHED = Lookup()


class ProxyCache:
    def __init__(
        self,
        store: ResponseCache,
        metrics: GatewayMetrics,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.metrics = metrics
        self.clock = clock

    async def lookup(
        self,
        route: Route,
        scope: Scope,
        principal: Principal | None,
        limit_headers: list[Header],
        send: Send,
    ) -> Lookup:
        rule = route.cache
        method: str = scope["method"]
        if rule is None:
            return _NOT_CACHED
        path: str = scope["path"]
        inner = path[len(route.prefix) :] if path.startswith(route.prefix + "/") else path
        if method not in CACHEABLE_METHODS or not rule_covers(rule, inner):
            return self._bypass(route)
        headers = scope["headers"]
        if request_bypasses(method, headers) is not None:
            return self._bypass(route)
        key = cache_key(_identity(principal), method, path, scope["query_string"], headers, rule)
        try:
            found = await self.store.lookup(path, key)
        except Exception as exc:  # the store is down: serve from the upstream
            log.warning("cache_store_failed", operation="lookup", error=type(exc).__name__)
            return self._bypass(route)
        entry = found.response
        if entry is None:
            self._count(route, "Miss")
            lookup = Lookup(
                key=key,
                stamp=found.stamp,
                rule=rule,
                headers=[cache_status_header("Miss")],
                limit=self.store.max_entry_bytes,
            )
            lookup.tee = lookup.keep
            return lookup
        self._count(route, "Hit")
        response_headers = [
            *entry.headers,
            age_header(entry, self.clock()),
            cache_status_header("Hit"),
            *limit_headers,
        ]
        await send(
            {"type": "http.response.start", "status": entry.status, "headers": response_headers}
        )
        body = b"" if method == "HEAD" else entry.body
        await send({"type": "http.response.body", "body": body})
        return Lookup(answered=True, status=entry.status)

    def _count(self, route: Route, status: CacheStatus) -> None:
        self.metrics.cache.labels(route.service, status).inc()

    def _bypass(self, route: Route) -> Lookup:
        self._count(route, "Bypass")
        return Lookup(headers=[cache_status_header("Bypass")])

    async def after(self, scope: Scope, status: int, headers: list[Header], lookup: Lookup) -> None:
        """Store a miss's answer if its status and ``Cache-Control`` allow."""
        if lookup.key is None or lookup.rule is None or lookup.size > lookup.limit:
            return
        if scope["method"] == "HEAD":
            return  # no body came: a HEAD never fills the entry a GET would read
        ttl = storable_ttl(lookup.rule.ttl, status, headers, vary_headers=lookup.rule.vary_headers)
        if ttl is None or ttl <= 0:
            return
        entry = CachedResponse(
            status=status,
            headers=storable_headers(headers),
            body=b"".join(lookup.chunks),
            stored_at=self.clock(),
            ttl=ttl,
        )
        try:
            await self.store.put(scope["path"], lookup.key, entry, stamp=lookup.stamp)
        except Exception as exc:
            log.warning("cache_store_failed", operation="put", error=type(exc).__name__)

    async def invalidate(self, route: Route, path: str) -> None:
        if route.cache is None:
            return
        try:
            await self.store.invalidate(path)
        except Exception as exc:
            log.warning("cache_store_failed", operation="invalidate", error=type(exc).__name__)


def _identity(principal: Principal | None) -> str:
    if principal is None:
        return "anonymous"
    # The scopes too: two API keys of one service may be granted different things.
    return f"{principal.kind}:{principal.subject}:{' '.join(sorted(principal.scopes))}"
