"""Usernames have one canonical form, so look-alikes (``Admin``, fullwidth ``admin``) are one name.

Canonical = NFKC, case-folded (RFC 8265's UsernameCaseMapped idea), NFKC again, trimmed. What
remains must be 3-64 of ``a-z 0-9 . _ - @``, starting with a letter or digit. ASCII only on
purpose: NFKC folds width and compatibility forms, but not homoglyphs from other scripts
(Cyrillic "a" U+0430 vs Latin "a"), and an account that holds roles must not have a twin.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Final

USERNAME_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9._@-]{2,63}")
USERNAME_RULE: Final = (
    "3-64 characters: letters a-z, digits, '.', '_', '-' or '@', starting with a letter or digit "
    "(compared case-insensitively after Unicode NFKC normalization)"
)
MAX_USERNAME_INPUT: Final = 256


def normalize_username(raw: str) -> str:
    """The canonical form; it may still be invalid (see :func:`is_valid_username`)."""
    folded = unicodedata.normalize("NFKC", raw).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def is_valid_username(name: str) -> bool:
    """Is an already normalized name one an account may have?"""
    return USERNAME_PATTERN.fullmatch(name) is not None


def canonical_username(raw: str) -> str:
    """The canonical form of a name to create, or ``ValueError`` naming the rule."""
    name = normalize_username(raw)
    if not is_valid_username(name):
        raise ValueError(f"username must be {USERNAME_RULE}")
    return name


def loggable_name(name: str, limit: int = 128) -> str:
    """A name as the audit log keeps it: printable ASCII, so NULs and junk are storable."""
    return name.encode("unicode_escape").decode("ascii")[:limit]


def throttle_name(name: str) -> str:
    """How a (normalized) login name appears in throttle keys: bounded, even for junk input."""
    if is_valid_username(name):
        return name
    return "#" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:40]
