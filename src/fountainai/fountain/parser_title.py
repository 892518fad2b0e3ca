"""The title page: ``Key: value`` lines at the very start, up to the first blank line.

A value is inline or on the following indented lines (any indentation; the spec asks for
three spaces or a tab), joined by ``\\n``. A line that is neither a key nor indented ends the
title page and starts the script (a title page need not be followed by a blank line).

Decisions (see ``fountainai.fountain.parser``): blank lines before the title page are
skipped; the first line only opens a title page when it has a value, is a known key (in any
case: ``draft DATE``), or is followed by a value line or another key, so a script opening
with ``FADE IN:`` or a scene heading has none.
"""

from __future__ import annotations

from collections.abc import Sequence

from fountainai.fountain.elements import TitleEntry
from fountainai.fountain.parser_lines import is_heading

KNOWN_KEYS = frozenset(
    {
        "title",
        "credit",
        "author",
        "authors",
        "source",
        "draft date",
        "date",
        "contact",
        "copyright",
        "notes",
        "revision",
    }
)


def read_title_page(
    lines: list[str], source_lines: Sequence[int]
) -> tuple[tuple[TitleEntry, ...], int]:
    """The title page's entries and the index of the first line after it (0 without one)."""
    count = len(lines)
    i = 0
    while i < count and not lines[i].strip():
        i += 1
    if i == count or not _opens_title_page(lines, i):
        return (), 0
    entries: list[TitleEntry] = []
    key = ""
    values: list[str] = []
    key_line = 0
    while i < count:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            break
        if line[0].isspace():
            values.append(stripped)
        else:
            entry = _key_value(line)
            if entry is None:
                break
            if key:
                entries.append(TitleEntry(key, "\n".join(values), line=key_line))
            key, value = entry
            values = [value] if value else []
            key_line = source_lines[i]
        i += 1
    entries.append(TitleEntry(key, "\n".join(values), line=key_line))
    return tuple(entries), i


def _opens_title_page(lines: list[str], i: int) -> bool:
    first = _key_value(lines[i])
    if first is None or is_heading(lines[i].strip()):
        return False
    key, value = first
    if value or key.casefold() in KNOWN_KEYS:
        return True
    if i + 1 == len(lines):
        return False
    following = lines[i + 1]
    if following[:1].isspace():
        return bool(following.strip())
    return _key_value(following) is not None


def _key_value(line: str) -> tuple[str, str] | None:
    """``Draft date: 6/23/2012`` → key and value; ``None`` for a line that is not a key line
    (indented, no colon, a key not starting with a letter or digit, a URL)."""
    colon = line.find(":")
    if colon <= 0 or not line[0].isalnum():
        return None
    value = line[colon + 1 :].strip()
    if value.startswith("//"):
        return None
    return line[:colon].rstrip(), value
