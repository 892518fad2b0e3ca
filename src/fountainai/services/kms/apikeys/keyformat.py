"""The API key format ``fai_<prefix>_<secret>``: minting, strict parsing, hashing.

The prefix (12 lowercase alphanumerics) names the key in listings and finds its row; the secret is
256 random bits. Only ``sha256(whole key)`` is stored: a fast hash suffices because the input is
random (nothing to brute-force), unlike a password.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Final

KEY_SCHEME: Final = "fai"
PREFIX_ALPHABET: Final = "abcdefghijklmnopqrstuvwxyz0123456789"
PREFIX_LENGTH: Final = 12
SECRET_BYTES: Final = 32
SECRET_LENGTH: Final = 43  # secrets.token_urlsafe(32): base64url of 32 bytes, unpadded
KEY_LENGTH: Final = len(KEY_SCHEME) + 1 + PREFIX_LENGTH + 1 + SECRET_LENGTH

# The secret may itself contain "_" and "-", so the key is split by position, not by "_".
_KEY_PATTERN: Final = re.compile(
    rf"{KEY_SCHEME}_([a-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{{SECRET_LENGTH}}})"
)
# Compared against when no row has the prefix, so both failure paths do the same work.
_DUMMY_HASH: Final = hashlib.sha256(b"no such api key").hexdigest()


@dataclass(frozen=True, slots=True)
class MintedKey:
    """A new key: ``value`` is handed to the caller once and never stored."""

    value: str
    prefix: str
    secret_hash: str


@dataclass(frozen=True, slots=True)
class PresentedKey:
    """A well-formed key as a client presented it."""

    value: str
    prefix: str


def hash_key(value: str) -> str:
    return hashlib.sha256(value.encode("ascii")).hexdigest()


def mint_key() -> MintedKey:
    prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    value = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return MintedKey(value=value, prefix=prefix, secret_hash=hash_key(value))


def parse_key(value: str) -> PresentedKey | None:
    """The key if it is exactly of our format (length, scheme, alphabets), else ``None``."""
    if len(value) != KEY_LENGTH or not value.isascii():
        return None
    match = _KEY_PATTERN.fullmatch(value)
    if match is None:
        return None
    return PresentedKey(value=value, prefix=match.group(1))


def hash_matches(presented: PresentedKey, stored_hash: str | None) -> bool:
    """Constant-time comparison; a missing row still costs one hash and one comparison."""
    candidate = hash_key(presented.value)
    return hmac.compare_digest(candidate, stored_hash or _DUMMY_HASH) and stored_hash is not None
