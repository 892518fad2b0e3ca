"""Whether an action or transition can only be written in Fountain with its force mark (``!``
or ``>``): its plain form would read back as another element. The platform stores such an
element as ``forced`` whatever its source said, so a story imported from any format, exported
and imported again, is stored the same (the writer would add the mark anyway)."""

from __future__ import annotations

from fountainai.fountain import Action, Screenplay, ScreenplayError, Transition
from fountainai.fountain.writer import write

# A neutral paragraph before the element, so it is not read as a title page.
_BEFORE = Action("x")
_HEADING_STARTS = ("int", "ext", "est", "i/e", "e/i")
_MARKS = frozenset(".!@~>=#[(")


def _may_be_misread(text: str) -> bool:
    """A cheap filter: text that cannot look like another element needs no trial write."""
    first = text.split("\n", 1)[0].strip()
    return (
        not first
        or first.upper() == first
        or first[0] in _MARKS
        or first.lower().startswith(_HEADING_STARTS)
    )


def needs_force(element: Action | Transition) -> bool:
    if isinstance(element, Action) and not _may_be_misread(element.text):
        return False
    plain = Action(element.text) if isinstance(element, Action) else Transition(element.text)
    try:
        written = write(Screenplay(elements=(_BEFORE, plain)))
    except ScreenplayError:
        return False  # not writable at all: the export will say so
    paragraph = written.split("\n\n", 1)[1]
    return paragraph.startswith("!" if isinstance(element, Action) else ">")
