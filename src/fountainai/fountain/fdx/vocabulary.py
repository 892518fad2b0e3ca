"""Final Draft paragraph types and the ``<ElementSettings>`` the writer declares for them.

The standard settings mirror a Final Draft 13 export (US screenplay template: Courier 12,
indents in inches); ``Lyrics`` and ``Outline 5`` and deeper are this package's own element types,
declared the same way so that Final Draft lays them out (lyrics in italics at the dialogue
indent, outline elements hidden like Final Draft's own).
"""

from __future__ import annotations

import re
from typing import NamedTuple
from xml.etree.ElementTree import Element, SubElement

SCENE_HEADING = "Scene Heading"
ACTION = "Action"
CHARACTER = "Character"
PARENTHETICAL = "Parenthetical"
DIALOGUE = "Dialogue"
TRANSITION = "Transition"
GENERAL = "General"
SHOT = "Shot"
CAST_LIST = "Cast List"
NEW_ACT = "New Act"
END_OF_ACT = "End of Act"
LYRICS = "Lyrics"
OUTLINE_BODY = "Outline Body"
OUTLINE = re.compile(r"Outline (\d{1,4})")
"""``Outline 1`` .. ``Outline N``: an outline heading of that depth."""

STANDARD_OUTLINE_DEPTH = 4
"""Final Draft's own template stops at ``Outline 4``."""


def outline_type(depth: int) -> str:
    return f"Outline {depth}"


class _Settings(NamedTuple):
    style: str
    size: str
    align: str
    first: str
    left: str
    right: str
    before: str
    paginate: str
    returns: str
    shortcut: str
    level: str
    hidden: bool = False
    new_page: bool = False


_OUTLINE_COLOR = "#87878F8FE0E0"
_BLACK = "#000000000000"

_STANDARD: dict[str, _Settings] = {
    GENERAL: _Settings("", "12", "Left", "0.00", "1.25", "7.25", "0", GENERAL, GENERAL, "0", "1"),
    SCENE_HEADING: _Settings(
        "AllCaps", "12", "Left", "0.00", "1.25", "7.25", "24", SCENE_HEADING, ACTION, "1", "2"
    ),
    ACTION: _Settings("", "12", "Left", "0.00", "1.25", "7.25", "12", ACTION, ACTION, "2", "1"),
    CHARACTER: _Settings(
        "AllCaps", "12", "Left", "0.00", "3.75", "7.25", "12", CHARACTER, DIALOGUE, "3", "1"
    ),
    PARENTHETICAL: _Settings(
        "", "12", "Left", "-0.10", "3.25", "5.25", "0", PARENTHETICAL, DIALOGUE, "4", "1"
    ),
    DIALOGUE: _Settings("", "12", "Left", "0.00", "2.56", "6.25", "0", DIALOGUE, ACTION, "5", "1"),
    TRANSITION: _Settings(
        "AllCaps", "12", "Right", "0.00", "5.25", "6.75", "12", TRANSITION, SCENE_HEADING, "6", "1"
    ),
    SHOT: _Settings(
        "AllCaps", "12", "Left", "0.00", "1.25", "7.25", "12", SCENE_HEADING, ACTION, "7", "1"
    ),
    CAST_LIST: _Settings(
        "AllCaps", "12", "Left", "0.00", "1.50", "7.50", "0", ACTION, ACTION, "8", "1"
    ),
    NEW_ACT: _Settings(
        "Bold+Underline+AllCaps",
        "12",
        "Center",
        "0.00",
        "1.50",
        "7.50",
        "12",
        SCENE_HEADING,
        SCENE_HEADING,
        "9",
        "4",
        new_page=True,
    ),
    END_OF_ACT: _Settings(
        "Bold+Underline+AllCaps",
        "12",
        "Center",
        "0.00",
        "1.50",
        "7.50",
        "24",
        CHARACTER,
        NEW_ACT,
        "Ctrl+9",
        "4",
    ),
    OUTLINE_BODY: _Settings(
        "Italic+HiddenText",
        "10",
        "Left",
        "0.00",
        "1.25",
        "7.50",
        "0",
        GENERAL,
        OUTLINE_BODY,
        "Ctrl+0",
        "0",
        hidden=True,
    ),
    "Outline 1": _Settings(
        "Italic+HiddenText",
        "10",
        "Left",
        "0.00",
        "1.25",
        "7.50",
        "10",
        GENERAL,
        OUTLINE_BODY,
        "Ctrl+1",
        "4",
        hidden=True,
    ),
    "Outline 2": _Settings(
        "Italic+HiddenText",
        "10",
        "Left",
        "0.00",
        "1.38",
        "7.50",
        "10",
        GENERAL,
        OUTLINE_BODY,
        "Ctrl+2",
        "3",
        hidden=True,
    ),
    "Outline 3": _Settings(
        "Bold+Italic+HiddenText",
        "12",
        "Left",
        "0.00",
        "1.50",
        "7.50",
        "12",
        GENERAL,
        OUTLINE_BODY,
        "Ctrl+3",
        "2",
        hidden=True,
    ),
    "Outline 4": _Settings(
        "Bold+Italic+HiddenText",
        "12",
        "Left",
        "0.00",
        "1.62",
        "7.50",
        "12",
        GENERAL,
        OUTLINE_BODY,
        "Ctrl+4",
        "1",
        hidden=True,
    ),
}

_LYRICS = _Settings("Italic", "12", "Left", "0.00", "2.56", "6.25", "0", DIALOGUE, LYRICS, "", "1")
_DEEP_OUTLINE = _STANDARD["Outline 4"]._replace(shortcut="")


def element_settings(used: set[str]) -> list[Element]:
    """``<ElementSettings>`` for every standard type, then for the ``used`` types of our own
    (``Lyrics``, ``Outline 5`` and deeper)."""
    own = sorted(
        (name for name in used - _STANDARD.keys() if OUTLINE.fullmatch(name)), key=_outline_depth
    )
    settings = [_settings_element(name, spec) for name, spec in _STANDARD.items()]
    if LYRICS in used:
        settings.append(_settings_element(LYRICS, _LYRICS))
    return settings + [_settings_element(name, _DEEP_OUTLINE) for name in own]


def _outline_depth(name: str) -> int:
    match = OUTLINE.fullmatch(name)
    return int(match.group(1)) if match else 0


def _settings_element(name: str, settings: _Settings) -> Element:
    element = Element("ElementSettings", Type=name)
    SubElement(
        element,
        "FontSpec",
        AdornmentStyle="0",
        Background="#FFFFFFFFFFFF",
        Color=_OUTLINE_COLOR if settings.hidden else _BLACK,
        Font="Courier Final Draft",
        RevisionID="0",
        Size=settings.size,
        Style=settings.style,
    )
    SubElement(
        element,
        "ParagraphSpec",
        Alignment=settings.align,
        FirstIndent=settings.first,
        Leading="Regular",
        LeftIndent=settings.left,
        RightIndent=settings.right,
        SpaceBefore=settings.before,
        Spacing="1",
        StartsNewPage="Yes" if settings.new_page else "No",
    )
    windows = settings.shortcut in set("01234567")  # as Final Draft writes it
    SubElement(
        element,
        "Behavior",
        PaginateAs=settings.paginate,
        ReturnKey=settings.returns,
        Shortcut=settings.shortcut,
        WinShortcut=settings.shortcut if windows else "",
    )
    SubElement(element, "Outline", CanHide="Yes" if settings.hidden else "No", Level=settings.level)
    return element
