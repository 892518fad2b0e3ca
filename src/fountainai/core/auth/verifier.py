"""``TokenVerifier``: strict, fail-closed verification of KMS access tokens."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from jwt.types import Options

from fountainai.core.auth.claims import REQUIRED_CLAIMS, principal_from_claims
from fountainai.core.auth.errors import InvalidToken
from fountainai.core.auth.keys import KeySource
from fountainai.core.auth.principal import Principal
from fountainai.core.auth.revocation import RevocationSource
from fountainai.core.auth.token_format import SIGNING_ALGORITHM, checked_size, header_kid

DEFAULT_VERIFIED_CACHE_SIZE: Final = 4096
_MAX_REASON_LENGTH: Final = 200
T = TypeVar("T")
_DECODE_OPTIONS: Final[Options] = {"require": list(REQUIRED_CLAIMS), "strict_aud": True}


@dataclass(frozen=True, slots=True)
class _Verified:
    principal: Principal
    kid: str
    key: Ed25519PublicKey

    @property
    def expires_at(self) -> int:
        return self.principal.expires_at or 0


class TokenVerifier:
    """Turns an access token into a ``Principal``, or raises ``InvalidToken``.

    Order: size, structure and header (``token_format``), key by kid, signature and registered
    claims (PyJWT, EdDSA only), claim shapes (``claims``), revocation. Any failure of the token is
    ``InvalidToken``; failures of the key/revocation sources pass through (``AuthUnavailable``:
    503).

    Tokens that verified are remembered (exact string, up to ``verified_cache_size``): a repeat
    skips the signature check but is still refused once expired, revoked, or when its key is no
    longer served. ``verified_cache_size=0`` turns that off.
    """

    def __init__(
        self,
        keys: KeySource,
        revocations: RevocationSource,
        *,
        issuer: str,
        audience: str,
        leeway_seconds: float,
        verified_cache_size: int = DEFAULT_VERIFIED_CACHE_SIZE,
    ) -> None:
        self._keys = keys
        self._revocations = revocations
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds
        self._cache_size = verified_cache_size
        self._verified: dict[str, _Verified] = {}

    async def verify(self, token: str) -> Principal:
        """Errors of the key or revocation source (a database or KMS outage) are not the token's
        fault: they propagate (503 or 500), never disguised as a 401 that sends clients to log in
        again. Everything about the token itself fails closed as ``InvalidToken``."""
        if not isinstance(token, str):
            raise InvalidToken("token is not a string")
        checked_size(token)  # before anything else looks at the token, even the cache
        known = self._verified.get(token)
        if known is not None and await self._still_served(token, known):
            return await self._unrevoked(known)
        kid = _token_step(header_kid, token)
        key = await self._keys.public_key(kid)
        if key is None:
            raise InvalidToken("no key has this kid")
        principal = _token_step(self._decode, token, key)
        verified = _Verified(principal, kid, key)
        await self._unrevoked(verified)
        self._remember(token, verified)
        return principal

    def _decode(self, token: str, key: Ed25519PublicKey) -> Principal:
        claims = jwt.decode(
            token,
            key,
            algorithms=[SIGNING_ALGORITHM],
            audience=self._audience,
            issuer=self._issuer,
            leeway=self._leeway,
            options=_DECODE_OPTIONS,
        )
        return principal_from_claims(claims, now=time.time(), leeway=self._leeway)

    async def _still_served(self, token: str, known: _Verified) -> bool:
        """A remembered token may skip the signature check while unexpired and its key served."""
        if known.expires_at <= time.time() - self._leeway:
            self._verified.pop(token, None)
            raise InvalidToken("token has expired")
        if await self._keys.public_key(known.kid) is known.key:
            return True
        self._verified.pop(token, None)
        return False

    async def _unrevoked(self, verified: _Verified) -> Principal:
        snapshot = await self._revocations.snapshot()
        if snapshot.revokes(
            kid=verified.kid,
            jti=verified.principal.token_id or "",
            subject=verified.principal.subject,
            issued_at=verified.principal.issued_at or 0,
        ):
            raise InvalidToken("token is revoked")
        return verified.principal

    def _remember(self, token: str, verified: _Verified) -> None:
        if self._cache_size <= 0:
            return
        while len(self._verified) >= self._cache_size:
            del self._verified[next(iter(self._verified))]  # oldest first
        self._verified[token] = verified


def _token_step(step: Callable[..., T], *args: Any) -> T:
    """Run a step that only reads the token: any failure at all is the token's, so a 401."""
    try:
        return step(*args)
    except InvalidToken:
        raise
    except Exception as exc:  # fail closed: whatever went wrong, the token is not accepted
        reason = f"{type(exc).__name__}: {exc}"[:_MAX_REASON_LENGTH]
        raise InvalidToken(reason) from None
