"""The typed elements of a screenplay, as Fountain and Final Draft (FDX) both describe it.

A ``Screenplay`` is its title page (ordered key/value entries, keys may repeat) and a flat
sequence of elements in reading order, the way both formats store them: a dialogue block is a
``Character`` cue followed by ``Dialogue`` and ``Parenthetical`` elements. Element text keeps
Fountain's inline markup as written (emphasis ``*`` ``**`` ``***`` ``_``, escapes ``\\*``,
inline notes ``[[...]]``): it is the one canonical form, which ``fountainai.fountain.inline``
turns into styled runs (for FDX and the terminal) and plain text.

``line`` is the 1-based source line an element starts on (0 when it was not parsed from a
source); it never takes part in equality, so two parses of the same story compare equal
wherever the text sits.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class Element:
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class SceneHeading(Element):
    """``INT. HOUSE - DAY #1A#`` → text ``INT. HOUSE - DAY``, scene_number ``1A``; ``forced``
    when written with a leading ``.`` (removed)."""

    text: str
    scene_number: str | None = None
    forced: bool = False


@dataclass(frozen=True, slots=True)
class Action(Element):
    """A paragraph of action; line breaks and leading indentation kept (tabs as four
    spaces); ``forced`` when written with a leading ``!`` (removed)."""

    text: str
    forced: bool = False


@dataclass(frozen=True, slots=True)
class Centered(Element):
    """``> THE END <``: centered text, markers and surrounding spaces removed."""

    text: str


@dataclass(frozen=True, slots=True)
class Character(Element):
    """A character cue: ``BOB (V.O.) (CONT'D) ^`` → name ``BOB``, extensions ``("V.O.",
    "CONT'D")`` (without parentheses), ``dual`` (``^``: the second speech of a dual-dialogue
    pair); ``forced`` when written with a leading ``@`` (removed)."""

    name: str
    extensions: tuple[str, ...] = ()
    dual: bool = False
    forced: bool = False


@dataclass(frozen=True, slots=True)
class Parenthetical(Element):
    """A direction within dialogue, stored without its parentheses: ``beat``."""

    text: str


@dataclass(frozen=True, slots=True)
class Dialogue(Element):
    """What a character says, up to the next parenthetical or the end of the block (line
    breaks kept)."""

    text: str


@dataclass(frozen=True, slots=True)
class Lyric(Element):
    """A sung line written with a leading ``~`` (removed); consecutive ``~`` lines are one
    element, joined by line breaks."""

    text: str


@dataclass(frozen=True, slots=True)
class Transition(Element):
    """``CUT TO:``; ``forced`` when written with a leading ``>`` (removed)."""

    text: str
    forced: bool = False


@dataclass(frozen=True, slots=True)
class PageBreak(Element):
    """``===``."""


@dataclass(frozen=True, slots=True)
class Section(Element):
    """An outline heading: ``## Act Two`` → text ``Act Two``, depth 2."""

    text: str
    depth: int = 1


@dataclass(frozen=True, slots=True)
class Synopsis(Element):
    """``= Set up the characters.`` → text ``Set up the characters.``."""

    text: str


@dataclass(frozen=True, slots=True)
class Note(Element):
    """A note standing on its own (``[[...]]`` alone in its paragraph), without brackets.
    Notes inside other text stay in that text as ``[[...]]``."""

    text: str


ScreenplayElement = (
    SceneHeading
    | Action
    | Centered
    | Character
    | Parenthetical
    | Dialogue
    | Lyric
    | Transition
    | PageBreak
    | Section
    | Synopsis
    | Note
)


@dataclass(frozen=True, slots=True)
class TitleEntry:
    """One title-page entry: ``Draft date: 6/23/2012``. A value written on several indented
    lines keeps them, joined by ``\\n``; keys keep their spelling and may repeat."""

    key: str
    value: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Screenplay:
    title_page: tuple[TitleEntry, ...] = ()
    elements: tuple[ScreenplayElement, ...] = ()
    hidden: int = field(default=0, compare=False)
    """How many boneyard passages (``/* ... */``) the source held; their text is not kept."""

    def title(self) -> str:
        """The value of the first ``Title`` entry (any case), or ``""``."""
        for entry in self.title_page:
            if entry.key.casefold() == "title":
                return entry.value
        return ""
