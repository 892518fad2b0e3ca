"""API keys: the KMS introspection wire models and a cached remote introspector."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from pydantic import Field

from fountainai.core.auth.errors import AuthUnavailable
from fountainai.core.auth.principal import (
    KNOWN_KEY_SCOPES,
    SERVICE_SUBJECT_PREFIX,
    Principal,
    roles_for_scopes,
)
from fountainai.core.auth.refresh import Clock
from fountainai.core.http.client import ServiceClient
from fountainai.core.logging import get_logger
from fountainai.core.schemas import ApiInput, ApiModel

INTROSPECT_PATH = "/api/v1/keys/introspect"
API_KEY_PREFIX = "fai_"
# fai_<12-char prefix>_<secret>; the secret is secrets.token_urlsafe(32) (43 chars) today.
API_KEY_PATTERN: Final = re.compile(r"fai_[a-z0-9]{12}_[A-Za-z0-9_-]{16,128}")
MAX_CACHED_KEYS = 10_000

log = get_logger(__name__)


class IntrospectionRequest(ApiInput):
    api_key: str = Field(max_length=200, description="The full API key to check.")


class IntrospectionResponse(ApiModel):
    active: bool = Field(description="False for unknown, revoked or expired keys.")
    service_name: str | None = None
    scopes: list[str] | None = None
    expires_at: datetime | None = None
    key_prefix: str | None = None


class ApiKeyIntrospector(Protocol):
    async def introspect(self, api_key: str) -> Principal | None: ...


def principal_for_key(answer: IntrospectionResponse, *, now: float) -> Principal | None:
    """The service principal of an active key; ``None`` for anything inactive or incomplete."""
    if not answer.active or not answer.service_name or answer.scopes is None:
        return None
    expires_at = None if answer.expires_at is None else int(answer.expires_at.timestamp())
    if expires_at is not None and expires_at <= now:
        return None
    scopes = frozenset(scope for scope in answer.scopes if scope in KNOWN_KEY_SCOPES)
    return Principal(
        subject=f"{SERVICE_SUBJECT_PREFIX}{answer.service_name}",
        kind="service",
        roles=roles_for_scopes(scopes),
        scopes=scopes,
        token_id=answer.key_prefix,
        expires_at=expires_at,
    )


@dataclass(frozen=True, slots=True)
class _Cached:
    principal: Principal | None
    until: float


class RemoteApiKeyIntrospector:
    """Asks the KMS about a key, remembering each answer (yes or no) for ``cache_seconds``.

    The cache is keyed by the key's SHA-256, so no key is held in memory longer than a request;
    keys are never logged. Malformed keys are refused without a call. An unreachable KMS raises
    ``AuthUnavailable`` (503) and is not cached.
    """

    def __init__(
        self,
        url: str,
        *,
        client: ServiceClient,
        cache_seconds: float,
        clock: Clock = time.monotonic,
    ) -> None:
        self.url = url
        self._client = client
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[bytes, _Cached] = {}

    async def introspect(self, api_key: str) -> Principal | None:
        if not API_KEY_PATTERN.fullmatch(api_key):
            return None
        digest = hashlib.sha256(api_key.encode("ascii")).digest()
        cached = self._cache.get(digest)
        if cached is not None and cached.until > self._clock():
            return cached.principal
        try:
            answer = await self._client.request_json(
                "POST",
                self.url,
                json=IntrospectionRequest(api_key=api_key),
                model=IntrospectionResponse,
                idempotent=True,
            )
        except Exception as exc:
            log.warning("api_key_introspection_failed", error=type(exc).__name__)
            raise AuthUnavailable() from exc
        wall = time.time()
        principal = principal_for_key(answer, now=wall)
        ttl = self._cache_seconds
        if principal is not None and principal.expires_at is not None:
            ttl = min(ttl, principal.expires_at - wall)
        self._remember(digest, _Cached(principal, self._clock() + ttl))
        return principal

    def _remember(self, digest: bytes, entry: _Cached) -> None:
        if len(self._cache) >= MAX_CACHED_KEYS:
            now = self._clock()
            self._cache = {k: v for k, v in self._cache.items() if v.until > now}
            while len(self._cache) >= MAX_CACHED_KEYS:
                del self._cache[next(iter(self._cache))]
        self._cache[digest] = entry
