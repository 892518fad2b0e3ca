"""Where verification keys come from: the ``KeySource`` protocol, JWK helpers, a static source."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any, Final, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from fountainai.core.logging import get_logger

KID_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_BASE64URL: Final = re.compile(r"[A-Za-z0-9_-]*")
ED25519_KEY_BYTES: Final = 32

log = get_logger(__name__)


class KeySource(Protocol):
    """Public keys by ``kid``; ``None`` means no such key."""

    async def public_key(self, kid: str) -> Ed25519PublicKey | None: ...


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url: URL alphabet, no padding, canonical (no stray trailing bits)."""
    if len(text) % 4 == 1 or not _BASE64URL.fullmatch(text):
        raise ValueError("not strict base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError("not strict base64url") from exc
    if b64url_encode(raw) != text:
        raise ValueError("not canonical base64url")
    return raw


def public_jwk(key: Ed25519PublicKey, kid: str) -> dict[str, str]:
    """The public JWK (OKP/Ed25519) that publishes ``key`` under ``kid``."""
    if not KID_PATTERN.fullmatch(kid):
        raise ValueError("kid must match [A-Za-z0-9_-]{1,64}")
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url_encode(raw),
        "kid": kid,
        "alg": "EdDSA",
        "use": "sig",
    }


def public_key_from_jwk(jwk: Mapping[str, Any]) -> Ed25519PublicKey:
    """The Ed25519 public key of a JWK; anything else (RSA, oct, private parts, ...) is refused."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("only OKP/Ed25519 keys are accepted")
    if "d" in jwk:
        raise ValueError("a published JWK must not carry private key material")
    if jwk.get("alg", "EdDSA") != "EdDSA" or jwk.get("use", "sig") != "sig":
        raise ValueError("the JWK is not for EdDSA signatures")
    x = jwk.get("x")
    if not isinstance(x, str):
        raise ValueError("the JWK has no 'x'")
    raw = b64url_decode(x)
    if len(raw) != ED25519_KEY_BYTES:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def keys_from_jwks(jwks: Mapping[str, Any]) -> dict[str, Ed25519PublicKey]:
    """``{kid: key}`` of a JWKS document; unusable entries are skipped (and logged).

    A kid listed twice is ambiguous, so neither entry is used.
    """
    entries = jwks.get("keys")
    if not isinstance(entries, list):
        raise ValueError("a JWKS document has a 'keys' list")
    keys: dict[str, Ed25519PublicKey] = {}
    seen: set[str] = set()
    for entry in entries:
        kid = entry.get("kid") if isinstance(entry, Mapping) else None
        if not isinstance(kid, str) or not KID_PATTERN.fullmatch(kid):
            log.warning("jwks_entry_skipped", reason="missing or malformed kid")
            continue
        if kid in seen:
            log.warning("jwks_entry_skipped", kid=kid, reason="kid listed twice")
            keys.pop(kid, None)
            continue
        seen.add(kid)
        try:
            keys[kid] = public_key_from_jwk(entry)
        except ValueError as exc:
            log.warning("jwks_entry_skipped", kid=kid, reason=str(exc))
    return keys


class StaticKeySource:
    """Keys fixed at construction, from a JWKS document (tests, or a pinned deployment)."""

    def __init__(self, jwks: Mapping[str, Any]) -> None:
        self._keys = keys_from_jwks(jwks)

    async def public_key(self, kid: str) -> Ed25519PublicKey | None:
        return self._keys.get(kid)
