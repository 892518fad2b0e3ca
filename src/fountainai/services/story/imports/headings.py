"""A scene heading's parts, as the Scripts service stores them: ``INT. HOUSE - DAY`` →
prefix ``INT``, location ``HOUSE``, time of day ``DAY``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fountainai.core.clients.scripts.models import HeadingPrefix

# Longest first: "INT./EXT." must win over "INT.".
_PREFIX = re.compile(
    r"^(?P<prefix>int\.?/ext\.?|int/ext|i/e|int|ext|est)\.?(?:\s+|$)(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_PREFIXES = {
    "int./ext.": HeadingPrefix.INT_EXT,
    "int./ext": HeadingPrefix.INT_EXT,
    "int/ext.": HeadingPrefix.INT_EXT,
    "int/ext": HeadingPrefix.INT_SLASH_EXT,
    "i/e": HeadingPrefix.I_E,
    "int": HeadingPrefix.INT,
    "ext": HeadingPrefix.EXT,
    "est": HeadingPrefix.EST,
}
_TIME_SEPARATOR = re.compile(r"\s+-+\s*|\s*-{2,}\s*")

MAX_LOCATION = 300
MAX_TIME_OF_DAY = 100


@dataclass(frozen=True, slots=True)
class HeadingParts:
    prefix: HeadingPrefix | None
    location: str
    time_of_day: str


def heading_parts(text: str) -> HeadingParts:
    """Split a heading's text. One without a prefix (a forced ``.SNIPER SCOPE POV``) has its
    whole text as the location. A forced heading that has a prefix anyway (``.INT. GARAGE``)
    is split like any other: FDX has no forcing, so both formats must store it alike. The
    time of day follows the last `` - `` (or ``--``)."""
    rest = text.strip()
    prefix: HeadingPrefix | None = None
    matched = _PREFIX.match(rest)
    if matched is not None:
        prefix = _PREFIXES[matched["prefix"].lower()]
        rest = matched["rest"].strip()
    location, time_of_day = rest, ""
    separators = list(_TIME_SEPARATOR.finditer(rest))
    if prefix is not None and separators:
        last = separators[-1]
        location, time_of_day = rest[: last.start()].strip(), rest[last.end() :].strip()
    return HeadingParts(prefix, location[:MAX_LOCATION], time_of_day[:MAX_TIME_OF_DAY])


def heading_text(prefix: HeadingPrefix | None, location: str, time_of_day: str) -> str:
    """The heading written back from its parts (when a scene has no title of its own)."""
    start = "" if prefix is None else f"{prefix.value}{'' if prefix.value.endswith('.') else '.'} "
    end = f" - {time_of_day}" if time_of_day else ""
    return f"{start}{location}{end}".strip()
