"""A stored story back as a ``Screenplay``, the inverse of the import plan: what an export
writes as Fountain, FDX or JSON, and what re-imports to the same story."""

from __future__ import annotations

from fountainai.core.clients.characters.models import Line
from fountainai.core.clients.scripts.models import Section, SectionKind
from fountainai.core.elements import ElementType
from fountainai.fountain import (
    Action,
    Centered,
    Character,
    Dialogue,
    Lyric,
    Note,
    PageBreak,
    Parenthetical,
    Run,
    SceneHeading,
    Screenplay,
    ScreenplayElement,
    Synopsis,
    TitleEntry,
    Transition,
    markup,
)
from fountainai.fountain import Section as OutlineSection
from fountainai.services.story.assembly.fetch import StoryData
from fountainai.services.story.imports.headings import heading_text

_MARKUP: dict[ElementType, type[Note] | type[Lyric] | type[Centered] | type[Synopsis]] = {
    ElementType.NOTE: Note,
    ElementType.LYRIC: Lyric,
    ElementType.CENTERED: Centered,
    ElementType.SYNOPSIS: Synopsis,
}


# Entries that do not end a speech: a lyric sung within it, a character numbered at its cue.
_WITHIN_SPEECH = frozenset({ElementType.SPOKEN_WORD, ElementType.LYRIC, ElementType.CHARACTER})


def _title_page(data: StoryData) -> tuple[TitleEntry, ...]:
    entries = tuple(TitleEntry(e.key, e.value) for e in data.script.title_page)
    if entries:
        return entries
    # The script's own fields are plain text: escaped, so an underscore stays one.
    derived = [TitleEntry("Title", markup([Run(data.script.title)]))]
    if data.script.author:
        derived.append(TitleEntry("Author", markup([Run(data.script.author)])))
    return tuple(derived)


def _depth(section: Section, data: StoryData) -> int:
    """``#`` count: outline sections above it, plus one; a top-level sequence is ``##``."""
    depth, parent = 1, section.parent_id
    seen: set[int] = set()
    while parent is not None and parent in data.sections and parent not in seen:
        seen.add(parent)
        if data.sections[parent].kind is not SectionKind.SCENE:
            depth += 1
        parent = data.sections[parent].parent_id
    if depth == 1 and section.kind is SectionKind.SEQUENCE:
        return 2
    return depth


def _section(section: Section, data: StoryData) -> ScreenplayElement:
    if section.kind is SectionKind.SCENE:
        heading = section.heading
        text = section.title
        if not text and heading is not None:
            text = heading_text(heading.prefix, heading.location, heading.time_of_day)
        return SceneHeading(
            text or "SCENE",
            scene_number=None if heading is None else heading.scene_number,
            forced=heading is not None and heading.prefix is None,
        )
    return OutlineSection(section.title, depth=_depth(section, data))


def _sung(text: str) -> str | None:
    """A line stored as sung dialogue (every text line starts with ``~``): the lyric."""
    lines = text.split("\n")
    if all(line.startswith("~") for line in lines):
        return "\n".join(line[1:] for line in lines)
    return None


class _Speeches:
    """Lines back into cue + parenthetical + dialogue, a cue each time a speech starts."""

    def __init__(self, data: StoryData) -> None:
        self.data = data
        self.speech: int | None = None

    def elements(self, line: Line) -> list[ScreenplayElement]:
        out: list[ScreenplayElement] = []
        if line.speech_id != self.speech:
            self.speech = line.speech_id
            character = self.data.characters.get(line.character_id)
            name = character.name if character is not None else f"CHARACTER {line.character_id}"
            out.append(Character(name, extensions=tuple(line.extensions), dual=line.dual))
        if line.parenthetical:
            out.append(Parenthetical(line.parenthetical))
        sung = _sung(line.text)
        if sung is not None:
            out.append(Lyric(sung))
        elif line.text.startswith("(") and line.text.endswith(")") and "\n" not in line.text:
            out.append(Parenthetical(line.text[1:-1]))
        else:
            out.append(Dialogue(line.text))
        return out


def story_screenplay(data: StoryData) -> Screenplay:
    """The story in reading order as screenplay elements (characters are not printed where
    they are numbered: their cues are)."""
    elements: list[ScreenplayElement] = []
    speeches = _Speeches(data)
    for entry in data.order:
        kind, element_id = entry.element_type, entry.element_id
        if kind not in _WITHIN_SPEECH:
            speeches.speech = None
        if kind is ElementType.SPOKEN_WORD and element_id in data.lines:
            elements.extend(speeches.elements(data.lines[element_id]))
        elif kind is ElementType.SECTION and element_id in data.sections:
            elements.append(_section(data.sections[element_id], data))
        elif kind is ElementType.ACTION and element_id in data.actions:
            action = data.actions[element_id]
            elements.append(Action(action.text, forced=action.forced))
        elif kind is ElementType.TRANSITION and element_id in data.transitions:
            transition = data.transitions[element_id]
            elements.append(Transition(transition.text, forced=transition.forced))
        elif kind is ElementType.PAGE_BREAK:
            elements.append(PageBreak())
        elif kind in _MARKUP and element_id in data.markup:
            elements.append(_MARKUP[kind](data.markup[element_id].text))
    return Screenplay(title_page=_title_page(data), elements=tuple(elements))
