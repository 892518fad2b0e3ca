"""Structural checks on an access token, done before any JWT library sees it."""

from __future__ import annotations

import json
import re
from typing import Any, Final

from fountainai.core.auth.errors import InvalidToken
from fountainai.core.auth.keys import KID_PATTERN, b64url_decode

MAX_TOKEN_LENGTH: Final = 8192
MAX_HEADER_SEGMENT_LENGTH: Final = 512
SIGNATURE_SEGMENT_LENGTH: Final = 86  # a 64-byte Ed25519 signature in base64url
SIGNING_ALGORITHM: Final = "EdDSA"
ACCESS_TOKEN_TYPE: Final = "at+jwt"  # noqa: S105 - a media type, not a secret
HEADER_KEYS: Final = frozenset({"alg", "kid", "typ"})
_SEGMENT: Final = re.compile(r"[A-Za-z0-9_-]+")


def checked_size(token: str) -> None:
    """First of all, before any splitting or decoding: refuse oversized tokens."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken(f"token exceeds the size limit of {MAX_TOKEN_LENGTH} bytes")


def header_kid(token: str) -> str:
    """The ``kid`` of a well-formed access token, or ``InvalidToken`` saying what is wrong.

    Exactly three non-empty strict base64url segments; a JSON-object header with only ``alg``
    (exactly EdDSA), ``kid`` and ``typ`` (exactly at+jwt), so ``jwk``/``jku``/``x5u``/``crit``
    and friends are refused before anything could act on them.
    """
    checked_size(token)
    segments = token.split(".")
    if len(segments) != 3 or not all(segments):
        raise InvalidToken("token is not three non-empty dot-separated segments")
    header_segment, payload_segment, signature_segment = segments
    if len(payload_segment) % 4 == 1 or not _SEGMENT.fullmatch(payload_segment):
        raise InvalidToken("payload segment is not strict base64url")
    if len(signature_segment) != SIGNATURE_SEGMENT_LENGTH:
        raise InvalidToken("signature segment is not one Ed25519 signature")
    if not _SEGMENT.fullmatch(signature_segment):
        raise InvalidToken("signature segment is not strict base64url")
    if len(header_segment) > MAX_HEADER_SEGMENT_LENGTH:
        raise InvalidToken("header segment is too long")
    try:
        raw = b64url_decode(header_segment)
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=_object_without_duplicates)
    except (ValueError, RecursionError) as exc:
        raise InvalidToken(f"header is not strict base64url JSON: {type(exc).__name__}") from None
    return _kid_of(header)


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise ValueError("duplicate member name")
    return found


def _kid_of(header: Any) -> str:
    if not isinstance(header, dict):
        raise InvalidToken("header is not a JSON object")
    if not header.keys() <= HEADER_KEYS:
        raise InvalidToken("header has parameters other than alg, kid and typ")
    if header.get("alg") != SIGNING_ALGORITHM:
        raise InvalidToken("alg is not EdDSA")
    if header.get("typ") != ACCESS_TOKEN_TYPE:
        raise InvalidToken("typ is not at+jwt")
    kid = header.get("kid")
    if not isinstance(kid, str) or not KID_PATTERN.fullmatch(kid):
        raise InvalidToken("kid is missing or malformed")
    return kid
