"""Reading caching header fields without ever raising: ``Cache-Control`` directives (RFC 9111
§5.2; names case-insensitive, values token or quoted-string, commas inside quotes kept),
delta-seconds, comma lists (``Vary``, ``Pragma``) and HTTP dates (``Expires``, ``Date``)."""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterable
from datetime import UTC

Headers = Iterable[tuple[bytes, bytes]]

MAX_DELTA_SECONDS = 2**31  # RFC 9111 §1.2.2: larger values are sent as this
_DIGITS = re.compile(r"[0-9]+")
_QUOTED_PAIR = re.compile(r"\\(.)", re.DOTALL)


class Malformed(ValueError):
    """A caching header the response cannot be trusted with (bad or conflicting values)."""


def header_values(headers: Headers, name: bytes) -> list[bytes]:
    """Every value of header ``name`` (lower-case), in order."""
    return [value for key, value in headers if key.lower() == name]


def split_list(values: Iterable[bytes]) -> list[str]:
    """The comma-separated members of every line (quoted commas kept), trimmed, empty ones out."""
    members: list[str] = []
    for value in values:
        text = value.decode("latin-1")
        start, quoted, escaped = 0, False, False
        for index, char in enumerate(text):
            if escaped:
                escaped = False
            elif quoted and char == "\\":
                escaped = True
            elif char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                members.append(text[start:index])
                start = index + 1
        members.append(text[start:])
    return [member.strip() for member in members if member.strip()]


def cache_control(values: Iterable[bytes]) -> dict[str, list[str | None]]:
    """Directive name (lower-case) to every value it was given (``None`` when bare)."""
    directives: dict[str, list[str | None]] = {}
    for member in split_list(values):
        name, equals, raw = member.partition("=")
        value: str | None = _unquote(raw.strip()) if equals else None
        directives.setdefault(name.strip().lower(), []).append(value)
    return directives


def delta_seconds(directives: dict[str, list[str | None]], name: str) -> int | None:
    """The directive's seconds, ``None`` when absent; ``Malformed`` when it is not digits or
    is given twice with different values (RFC 9111 §4.2.1: then the response is stale)."""
    values = directives.get(name)
    if values is None:
        return None
    if len(set(values)) != 1:
        raise Malformed(f"{name} given conflicting values")
    value = values[0]
    if value is None or not _DIGITS.fullmatch(value):
        raise Malformed(f"{name}={value!r} is not delta-seconds")
    if len(value) > 10:  # also keeps int() clear of its digit limit
        return MAX_DELTA_SECONDS
    return min(int(value), MAX_DELTA_SECONDS)


def http_date(values: list[bytes]) -> float | None:
    """The one HTTP date given, as a POSIX timestamp; ``None`` when absent; ``Malformed`` when
    unreadable or given twice with different values."""
    if not values:
        return None
    if len(set(values)) != 1:
        raise Malformed("date header given conflicting values")
    try:
        parsed = email.utils.parsedate_to_datetime(values[0].decode("latin-1").strip())
        if parsed.tzinfo is None:  # "-0000": the date is UTC all the same
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.timestamp()
    except (TypeError, ValueError, IndexError, OverflowError, OSError) as exc:
        raise Malformed(f"unreadable date {values[0]!r}") from exc


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _QUOTED_PAIR.sub(r"\1", value[1:-1])
    return value
