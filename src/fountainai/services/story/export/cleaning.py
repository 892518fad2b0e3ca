"""Stored text made writable as Fountain. Imports never need this (what the parser reads, the
writer writes back); text written through the API can hold what Fountain cannot say, and an
export should not fail over layout: tabs become four spaces, carriage returns line breaks,
spaces at line ends go, and a dialogue line that reads as a parenthetical becomes one. What
is left (``/*``, which opens a boneyard; ``]]`` in a note) the writer refuses, named."""

from __future__ import annotations

import re
from dataclasses import replace

from fountainai.fountain import Dialogue, Parenthetical, Screenplay, ScreenplayElement

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PARENTHETICAL = re.compile(r"^\((?P<text>[^()]*)\)$")


def _tidy(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _dialogue(element: Dialogue) -> list[ScreenplayElement]:
    pieces: list[ScreenplayElement] = []
    said: list[str] = []
    for line in element.text.split("\n"):
        found = _PARENTHETICAL.match(line.strip())
        if found is None:
            said.append(line.strip())
            continue
        if said:
            pieces.append(Dialogue("\n".join(said)))
            said = []
        pieces.append(Parenthetical(found["text"]))
    if said:
        pieces.append(Dialogue("\n".join(said)))
    return pieces


def writable(screenplay: Screenplay) -> Screenplay:
    elements: list[ScreenplayElement] = []
    for original in screenplay.elements:
        text = getattr(original, "text", None)
        element = original if text is None else replace(original, text=_tidy(text))  # type: ignore[arg-type]
        if isinstance(element, Dialogue):
            elements.extend(_dialogue(element))
        else:
            elements.append(element)
    return replace(screenplay, elements=tuple(elements))
