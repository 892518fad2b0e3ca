"""``JwksKeySource``: the KMS's published keys, cached, refetched lazily and sparingly."""

from __future__ import annotations

import time
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from fountainai.core.auth.errors import AuthUnavailable
from fountainai.core.auth.keys import keys_from_jwks
from fountainai.core.auth.refresh import Clock, RefreshGate
from fountainai.core.http.client import ServiceClient
from fountainai.core.logging import get_logger

JWKS_PATH = "/.well-known/jwks.json"

log = get_logger(__name__)


class JwksKeySource:
    """Keys from one JWKS URL (a path on ``client``'s base URL; nothing else is ever fetched).

    Nothing is fetched until the first lookup. The set is refetched when older than
    ``cache_seconds``, or when a ``kid`` is unknown, but a fetch starts at most once per
    ``refetch_interval_seconds`` (single-flight), so unknown kids cannot flood the KMS. A failed
    fetch keeps the last good keys; with none ever loaded, a lookup raises ``AuthUnavailable``.
    """

    def __init__(
        self,
        url: str,
        *,
        client: ServiceClient,
        cache_seconds: float,
        refetch_interval_seconds: float,
        clock: Clock = time.monotonic,
    ) -> None:
        self.url = url
        self._client = client
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._gate = RefreshGate(min_interval=refetch_interval_seconds, clock=clock)
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._loaded_at: float | None = None
        # The same key object across refetches, so a verifier may compare keys by identity.
        self._known: dict[bytes, Ed25519PublicKey] = {}

    async def public_key(self, kid: str) -> Ed25519PublicKey | None:
        loaded_at = self._loaded_at
        if loaded_at is None or self._clock() - loaded_at >= self._cache_seconds:
            await self._gate.run(self._fetch)
        key = self._keys.get(kid)
        if key is None and self._loaded_at is not None:
            await self._gate.run(self._fetch)  # waits for a fetch in flight; else throttled
            key = self._keys.get(kid)
        if self._loaded_at is None:
            raise AuthUnavailable()
        return key

    async def _fetch(self) -> None:
        try:
            response = await self._client.request("GET", self.url)
            document: Any = response.json()
            if not isinstance(document, dict):
                raise ValueError("a JWKS document is a JSON object")
            keys = keys_from_jwks(document)
        except Exception as exc:  # any failure keeps the last good keys
            log.warning("jwks_fetch_failed", url=self.url, error=type(exc).__name__)
            return
        known: dict[bytes, Ed25519PublicKey] = {}
        for kid, key in keys.items():
            raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
            keys[kid] = known[raw] = self._known.get(raw, key)
        self._keys, self._known = keys, known
        self._loaded_at = self._clock()
        log.info("jwks_loaded", url=self.url, kids=sorted(keys))
