"""Headers around a cached answer: ``X-Cache-Status`` and ``Age`` on what the gateway sends,
and the upstream headers worth keeping (hop-by-hop ones and per-response ones left out)."""

from __future__ import annotations

import math
from typing import Literal

from fountainai.gateway.cache.directives import Headers
from fountainai.gateway.cache.entry import CachedResponse

CacheStatus = Literal["Hit", "Miss", "Bypass"]
CACHE_STATUS_HEADER = b"x-cache-status"

# RFC 9110 §7.6.1 hop-by-hop fields, plus what the gateway itself writes on every answer.
_NOT_STORED = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"age",
        b"x-cache-status",
        b"x-request-id",
    }
)


def cache_status_header(status: CacheStatus) -> tuple[bytes, bytes]:
    """``X-Cache-Status: Hit | Miss | Bypass``, as an ASGI header pair."""
    return CACHE_STATUS_HEADER, status.encode("ascii")


def age_header(response: CachedResponse, now: float) -> tuple[bytes, bytes]:
    """``Age``: whole seconds since ``response`` was stored (``now`` is ``time.time()``)."""
    return b"age", str(math.floor(min(response.age(now), response.ttl))).encode("ascii")


def storable_headers(headers: Headers) -> list[tuple[bytes, bytes]]:
    """The upstream headers to keep in the cache: all but hop-by-hop ones, those a
    ``Connection`` header names, and the gateway's own per-answer ones."""
    headers = list(headers)
    named = {
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for token in value.split(b",")
    }
    return [
        (name, value)
        for name, value in headers
        if name.lower() not in _NOT_STORED and name.lower() not in named
    ]
