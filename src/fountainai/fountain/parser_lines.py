"""Single-line tests of the Fountain parser: what a line is, read on its own.

Each function looks at one stripped line (``s``) and stays linear in its length: no regular
expression here can backtrack over a long line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from fountainai.fountain.elements import SceneHeading

# INT, EXT, EST, INT./EXT, INT/EXT, I/E (and the EXT/INT, E/I mirror images), then "." or " ".
_HEADING = re.compile(r"(?:int\.?/ext|ext\.?/int|i\.?/e|e\.?/i|int|ext|est)[. ]", re.I)
_EXTENSIONS = re.compile(r"(?:\s*\([^()]*\))+")
_EXTENSION = re.compile(r"\(([^()]*)\)")
# Transitions the reference parser knows that do not end in "TO:".
_BARE_TRANSITIONS = frozenset({"FADE OUT.", "FADE TO BLACK.", "CUT TO BLACK."})


def is_forced_heading(s: str) -> bool:
    """``.KITCHEN``: one dot and then a letter or digit (``...`` is an ellipsis, not a force)."""
    return len(s) > 1 and s[0] == "." and s[1].isalnum()


def has_heading_prefix(s: str) -> bool:
    """``INT.``, ``ext ``, ``I/E``...: a scene heading's opening, in any case."""
    return _HEADING.match(s) is not None


def is_heading(s: str) -> bool:
    """A line that starts a scene, forced or by its prefix."""
    return is_forced_heading(s) or _HEADING.match(s) is not None


def scene_heading(s: str, *, forced: bool, line: int) -> SceneHeading:
    """``INT. HOUSE - DAY #1A#`` → text and scene number (``1A``); a forced heading's dot gone."""
    if forced:
        s = s[1:]
    number = None
    if s.endswith("#"):
        opening = s.rfind("#", 0, len(s) - 1)
        candidate = s[opening + 1 : -1].strip() if opening >= 0 else ""
        if candidate:
            number = candidate
            s = s[:opening].rstrip()
    return SceneHeading(s, scene_number=number, forced=forced, line=line)


def is_transition(raw: str, s: str) -> bool:
    """Uppercase and ending in ``TO:`` (or a bare ``FADE OUT.``-like transition), with no
    trailing whitespace: ``CUT TO:␣`` is the spec's way to write it as action. The caller
    checks the blank lines around it."""
    if raw[-1].isspace() or not (s.endswith("TO:") or s in _BARE_TRANSITIONS):
        return False
    return s.upper() == s


class Cue(NamedTuple):
    name: str
    extensions: tuple[str, ...]
    dual: bool


def read_cue(s: str) -> Cue:
    """``BOB (V.O.) (CONT'D) ^`` → name, extensions (any case, parentheses removed), dual.

    When the part after the name is not a clean row of ``(...)`` groups, the whole line is
    the name (``BOB (V.O.`` stays one name); a line opening with ``(`` has no name."""
    dual = s.endswith("^")
    if dual:
        s = s[:-1].rstrip()
    opening = s.find("(")
    if opening == 0:
        return Cue("", (), dual)  # no name before the extensions
    if opening > 0 and _EXTENSIONS.fullmatch(s, opening):
        extensions = tuple(group.strip() for group in _EXTENSION.findall(s, opening))
        return Cue(s[:opening].rstrip(), extensions, dual)
    return Cue(s, (), dual)


def uppercase_cue(s: str) -> Cue | None:
    """The cue ``s`` is when its name is in capitals with at least one cased letter (``R2D2``
    yes; ``23`` and names in scripts without case, which need ``@``, no)."""
    opening = s.find("(")
    head = s if opening < 0 else s[:opening]
    if head.upper() != head:  # most lines: lowercase before any parenthesis
        return None
    cue = read_cue(s)
    name = cue.name
    return cue if name.upper() == name and name.lower() != name else None


def is_page_break(s: str) -> bool:
    """``===``: three or more ``=`` and nothing else (other ``=`` lines are synopses)."""
    return len(s) >= 3 and s.count("=") == len(s)


def section_depth(s: str) -> int:
    """``## Sequence`` → 2."""
    return len(s) - len(s.lstrip("#"))


class NoteScan(NamedTuple):
    """A standalone note's text and last line index, or ``text=None`` and the index where the
    scan gave up (no note can start before it and close)."""

    text: str | None
    end: int


def scan_standalone_note(lines: list[str], i: int) -> NoteScan:
    """A paragraph that is only ``[[...]]`` from line ``i`` (which starts with ``[[``), possibly
    over several lines (a line of two spaces inside is an empty line; a blank line ends it)."""
    first = lines[i].strip()
    close = first.find("]]", 2)
    if close >= 0:
        if first[close + 2 :].strip():
            return NoteScan(None, i)
        return NoteScan(first[2:close].strip(), i)
    parts = [first[2:].strip()]
    for j in range(i + 1, len(lines)):
        line = lines[j]
        s = line.strip()
        if not s and line != "  ":
            return NoteScan(None, j)
        close = s.find("]]")
        if close >= 0:
            if s[close + 2 :].strip():
                return NoteScan(None, j)
            parts.append(s[:close].rstrip())
            return NoteScan("\n".join(parts).strip(), j)
        parts.append(s)
    return NoteScan(None, len(lines))
