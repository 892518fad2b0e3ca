"""The cache's rules as pure functions: which requests skip the cache, how long an upstream
answer may be kept, what it is keyed by and which cached paths a write makes stale.

None of them raises on any header text: a header the rules cannot read makes the request skip
the cache or the answer go unstored, never an error."""

from __future__ import annotations

import fnmatch
import hashlib
import time
from collections.abc import Collection
from typing import Literal
from urllib.parse import unquote_to_bytes

from fountainai.gateway.cache.directives import (
    Headers,
    Malformed,
    cache_control,
    delta_seconds,
    header_values,
    http_date,
    split_list,
)
from fountainai.gateway.routes import CacheRule

CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
CACHEABLE_STATUSES = frozenset({200, 203, 204, 300, 301, 404, 410})
BypassReason = Literal["method", "no-store", "no-cache", "max-age=0", "range"]


def request_bypasses(method: str, request_headers: Headers) -> BypassReason | None:
    """Why this request must go to the upstream, ignoring the cache; ``None`` if it may be
    answered from the cache. A client asking for a fresh answer (``no-cache``, ``max-age=0``,
    ``Pragma: no-cache``) gets one; a ``Range`` request is never answered from a whole body."""
    if method.upper() not in CACHEABLE_METHODS:
        return "method"
    headers = list(request_headers)
    directives = cache_control(header_values(headers, b"cache-control"))
    if "no-store" in directives:
        return "no-store"
    pragma = {member.lower() for member in split_list(header_values(headers, b"pragma"))}
    if "no-cache" in directives or "no-cache" in pragma:
        return "no-cache"
    try:
        if delta_seconds(directives, "max-age") == 0:
            return "max-age=0"
    except Malformed:
        pass  # a request's unreadable max-age asks for nothing in particular
    if header_values(headers, b"range"):
        return "range"
    return None


def storable_ttl(
    rule_ttl: float,
    status: int,
    response_headers: Headers,
    *,
    method: str = "GET",
    vary_headers: Collection[str] = (),
    now: float | None = None,
) -> float | None:
    """Seconds the answer may be kept, or ``None`` if it must not be stored.

    Only GET answers are stored (a HEAD answer has no body for a later GET). The status must
    be one of ``CACHEABLE_STATUSES``; ``Set-Cookie``, ``Cache-Control: no-store | private |
    no-cache`` or ``Vary`` naming a header outside ``vary_headers`` (the route's, which the
    key includes; ``*`` never is) forbid storing. ``s-maxage``, else ``max-age``, else
    ``Expires`` (against ``Date``, else ``now``) can only shorten ``rule_ttl``.
    """
    if method.upper() != "GET" or status not in CACHEABLE_STATUSES or rule_ttl <= 0:
        return None
    headers = list(response_headers)
    if header_values(headers, b"set-cookie"):
        return None
    keyed = {name.lower() for name in vary_headers}
    if any(name.lower() not in keyed for name in split_list(header_values(headers, b"vary"))):
        return None
    directives = cache_control(header_values(headers, b"cache-control"))
    if any(name in directives for name in ("no-store", "private", "no-cache")):
        return None
    try:
        upstream_ttl = _upstream_ttl(directives, headers, now)
    except Malformed:
        return None
    ttl = float(rule_ttl) if upstream_ttl is None else min(float(rule_ttl), upstream_ttl)
    return ttl if ttl > 0 else None


def _upstream_ttl(
    directives: dict[str, list[str | None]], headers: list[tuple[bytes, bytes]], now: float | None
) -> float | None:
    shared_max_age = delta_seconds(directives, "s-maxage")
    max_age = delta_seconds(directives, "max-age")
    if shared_max_age is not None:
        return float(shared_max_age)
    if max_age is not None:
        return float(max_age)
    expires = header_values(headers, b"expires")
    if not expires:
        return None
    try:
        expires_at = http_date(expires)
    except Malformed:
        return 0.0  # RFC 9111 §5.3: an unreadable Expires means already expired
    date = http_date(header_values(headers, b"date"))
    if date is None:
        date = time.time() if now is None else now
    return None if expires_at is None else expires_at - date


def rule_covers(rule: CacheRule, path: str) -> bool:
    """Whether ``path`` (after the route's prefix) matches one of the rule's ``paths`` globs."""
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in rule.paths)


def cache_key(
    identity: str,
    method: str,
    path: str,
    query_string: bytes,
    headers: Headers,
    rule: CacheRule,
) -> str:
    """The entry's key (sha256, hex): the caller's ``identity`` (``user:<sub>``, ``key:<id>``
    or ``anonymous``), the method (HEAD shares GET's entry), the full gateway ``path`` (with
    the service prefix), the query parameters named in ``rule.vary_query`` (all if it is
    empty; ordered by name, repeats of one name kept in their order) and the values of
    ``rule.vary_headers``. Every part is length-prefixed, so no two inputs collide by
    shifting bytes from one part to another."""
    digest = hashlib.sha256()

    def feed(part: bytes) -> None:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)

    feed(identity.encode("utf-8", "surrogatepass"))
    feed(b"GET" if method.upper() == "HEAD" else method.upper().encode("ascii", "replace"))
    feed(path.encode("utf-8", "surrogatepass"))
    params = query_params(query_string)
    if rule.vary_query:
        wanted = {name.encode("utf-8") for name in rule.vary_query}
        params = [(name, value) for name, value in params if name in wanted]
    params.sort(key=lambda param: param[0])
    feed(len(params).to_bytes(8, "big"))
    for name, value in params:
        feed(name)
        feed(value)
    headers = list(headers)
    for header in sorted({name.lower() for name in rule.vary_headers}):
        values = [value.strip() for value in header_values(headers, header.encode("latin-1"))]
        feed(header.encode("latin-1"))
        feed(len(values).to_bytes(8, "big"))
        for value in values:
            feed(value)
    return digest.hexdigest()


def query_params(query_string: bytes) -> list[tuple[bytes, bytes]]:
    """``name=value`` pairs of a raw query string, percent- and plus-decoded to bytes (so
    ``a=%41`` and ``a=A`` are one parameter), in order; never raises."""
    params = []
    for member in query_string.split(b"&"):
        if member:
            name, _, value = member.replace(b"+", b" ").partition(b"=")
            params.append((unquote_to_bytes(name), unquote_to_bytes(value)))
    return params


def resource_paths(path: str) -> list[str]:
    """``path`` and its ancestors, nearest first, without the root: a write to ``path`` makes
    each of these stale (``/scripts/api/v1/scripts/5`` → itself, ``/scripts/api/v1/scripts``,
    ``/scripts/api/v1``, ``/scripts/api``, ``/scripts``). Empty segments and a trailing slash
    are ignored, so ``/a//b/`` is ``/a/b``."""
    segments = [segment for segment in path.split("/") if segment]
    if not segments:
        return ["/"]
    return ["/" + "/".join(segments[:depth]) for depth in range(len(segments), 0, -1)]


def invalidating(method: str) -> bool:
    """Whether a request with ``method`` writes (so, once answered, stales its paths)."""
    return method.upper() not in {"GET", "HEAD", "OPTIONS", "TRACE"}
