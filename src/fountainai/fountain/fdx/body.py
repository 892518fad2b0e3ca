"""FDX body paragraphs to model elements.

The mapping (paragraph ``Type`` → element) is in the package doc. On top of it the reader makes
what Final Draft allows but Fountain cannot say into what Fountain can, so that an imported
script can be written as Fountain:

- consecutive ``Dialogue`` paragraphs are one speech, joined by line breaks (Final Draft
  spaces them like line breaks; Fountain reads two dialogues in a row as one); an empty one
  in between is a blank line, at the two ends it is dropped (``Lyrics`` paragraphs stay
  apart: Fountain has lyrics in a row);
- a dialogue line, or a cue, that is all in parentheses is a ``Parenthetical``;
- dialogue or a parenthetical with no cue before it is ``Action`` (a cue with nothing to say
  stays a cue: Fountain has those, ``@BOB`` alone);
- texts are cleaned as Fountain reads text (a tab is four spaces, DEL is dropped) and lose
  what Fountain drops: spaces at line ends and (except in action) at line starts; one-line
  elements (headings, cues, transitions, ...) join their lines with spaces;
- a paragraph with no text is skipped (a page break it carries is kept), except ``Lyrics``
  (an empty lyric is Fountain's ``~`` alone); ``()`` is an empty parenthetical. So empty
  action, centered text, sections and synopses, which Fountain can write (``!``, ``><``,
  ``#``, ``=``), do not survive FDX;
- nothing read from FDX is ``forced``: Final Draft types every paragraph, and Fountain's writer
  forces wherever Fountain would read the text as something else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from fountainai.fountain.elements import (
    Action,
    Centered,
    Character,
    Dialogue,
    Lyric,
    Note,
    PageBreak,
    Parenthetical,
    SceneHeading,
    ScreenplayElement,
    Section,
    Synopsis,
    Transition,
)
from fountainai.fountain.fdx import vocabulary as v
from fountainai.fountain.fdx.runs import (
    one_line,
    plain_run,
    runs_markup,
    text_runs,
    unwrap_parentheses,
)
from fountainai.fountain.inline import Run

ONE_NOTE = re.compile(r"\[\[((?:(?!\[\[|\]\]).)*)\]\]", re.DOTALL)
"""One ``[[...]]`` note, as Fountain reads it (``fullmatch``: the whole text is the note)."""
_EXTENSION = re.compile(r"\(([^()]*)\)\s*$")
_PARENTHETICAL_LINE = re.compile(r"\((.*)\)")
_CENTERED_TYPES = frozenset({v.NEW_ACT, v.END_OF_ACT})
_IN_BLOCK = (Dialogue, Parenthetical, Lyric)
_DIALOGUE = v.DIALOGUE.casefold()
_LYRICS = frozenset({v.LYRICS.casefold(), "lyric"})


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One FDX body paragraph as read: its type, alignment, styled runs, whether it starts a
    new page, its scene number, line, and dual-dialogue group (``None`` outside one)."""

    kind: str
    alignment: str
    runs: list[Run]
    new_page: bool
    number: str | None
    line: int
    group: int | None


def build_elements(paragraphs: list[Paragraph]) -> list[ScreenplayElement]:
    """The elements of ``paragraphs`` (see the module doc)."""
    return list(_complete_blocks(_split_dialogue(_merged(paragraphs))))


def _merged(paragraphs: list[Paragraph]) -> Iterator[ScreenplayElement]:
    """Elements paragraph by paragraph (a page break before its paragraph), each run of
    Dialogue paragraphs merged into one; second and later cues of a dual group flagged."""
    cues = _cues_per_group(paragraphs)
    seen_in_group: dict[int, int] = {}
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        if paragraph.new_page:
            yield PageBreak(line=paragraph.line)
        kind = paragraph.kind.casefold()
        if kind == _DIALOGUE:
            end = _run_end(paragraphs, index)
            text = _speech(paragraphs[index:end])
            index = end
            if text:
                yield Dialogue(text, line=paragraph.line)
            continue
        index += 1
        dual = False
        if kind == v.CHARACTER.casefold() and paragraph.group is not None:
            position = seen_in_group.get(paragraph.group, 0)
            seen_in_group[paragraph.group] = position + 1
            dual = position > 0 or cues[paragraph.group] == 1
        element = _element(paragraph, kind, dual=dual)
        if element is not None:
            yield element


def _cues_per_group(paragraphs: list[Paragraph]) -> dict[int, int]:
    cues: dict[int, int] = {}
    for paragraph in paragraphs:
        if paragraph.group is not None and paragraph.kind.casefold() == "character":
            cues[paragraph.group] = cues.get(paragraph.group, 0) + 1
    return cues


def _run_end(paragraphs: list[Paragraph], start: int) -> int:
    """The index after the run of paragraphs of ``start``'s type (same group, no new page)."""
    first = paragraphs[start]
    end = start + 1
    while end < len(paragraphs):
        paragraph = paragraphs[end]
        same = paragraph.kind.casefold() == first.kind.casefold()
        if not same or paragraph.group != first.group or paragraph.new_page:
            break
        end += 1
    return end


def _element(paragraph: Paragraph, kind: str, *, dual: bool) -> ScreenplayElement | None:
    """The element of one paragraph (not Dialogue), ``None`` when it is empty (a lyric is
    kept even then: Fountain has empty lyrics, ``~`` alone)."""
    line = paragraph.line
    if kind in _LYRICS:
        rows = runs_markup(paragraph.runs).split("\n")
        return Lyric("\n".join(row.strip() for row in rows), line=line)
    if kind == v.PARENTHETICAL.casefold():
        return _parenthetical(paragraph)
    outline = v.OUTLINE.fullmatch(paragraph.kind)
    if kind == v.OUTLINE_BODY.casefold() or (outline and int(outline.group(1)) > 0):
        text = _one_line(_raw(paragraph))
        if outline:
            return Section(text, int(outline.group(1)), line=line) if text else None
        return Synopsis(text, line=line) if text else None
    build = _ONE_LINE.get(kind)
    if build is None:
        return _action_like(paragraph)
    text = _one_line_markup(paragraph.runs)
    return build(text, paragraph, dual) if text else None


def _parenthetical(paragraph: Paragraph) -> Parenthetical | None:
    inner = unwrap_parentheses(paragraph.runs)
    if inner is not None:  # "()" is an empty parenthetical, not an empty paragraph
        return Parenthetical(_one_line_markup(inner), line=paragraph.line)
    text = _one_line_markup(paragraph.runs)
    return Parenthetical(text, line=paragraph.line) if text else None


def _action_like(paragraph: Paragraph) -> ScreenplayElement | None:
    """Action, General, Shot and unknown types: centered text when centered (or an act
    break), a note when the text is one ``[[...]]``, else action."""
    line = paragraph.line
    centered = paragraph.alignment.casefold() == "center"
    if centered or paragraph.kind in _CENTERED_TYPES:
        text = _one_line_markup(paragraph.runs)
        return Centered(text, line=line) if text else None
    rows = runs_markup(paragraph.runs).split("\n")
    text = "\n".join(row.rstrip() for row in rows)
    return _action_or_note(text, line) if text else None


def _action_or_note(text: str, line: int) -> Action | Note:
    """A note when ``text`` is one unstyled ``[[...]]`` (as Fountain reads it), else action."""
    note = ONE_NOTE.fullmatch(text.strip())
    return Note(note.group(1), line=line) if note else Action(text, line=line)


def _character(cue: str, *, dual: bool, line: int) -> Character | Parenthetical:
    """``JIM (O.S.) (CONT'D)`` → name ``JIM``, extensions ``("O.S.", "CONT'D")``; a cue that
    is all in parentheses, ``(beat)``, is a parenthetical typed in the wrong element."""
    direction = _PARENTHETICAL_LINE.fullmatch(cue)
    if direction is not None:
        return Parenthetical(_canonical(direction.group(1).strip()), line=line)
    name = cue
    extensions: list[str] = []
    while (match := _EXTENSION.search(name)) and match.start() > 0:
        extensions.insert(0, match.group(1).strip())
        name = name[: match.start()].rstrip()
    return Character(name, tuple(extensions), dual, line=line)


_ONE_LINE: dict[str, Callable[[str, Paragraph, bool], ScreenplayElement]] = {
    v.SCENE_HEADING.casefold(): lambda text, p, _: SceneHeading(text, p.number, line=p.line),
    v.CHARACTER.casefold(): lambda text, p, dual: _character(text, dual=dual, line=p.line),
    v.TRANSITION.casefold(): lambda text, p, _: Transition(text, line=p.line),
}


def _split_dialogue(elements: Iterator[ScreenplayElement]) -> Iterator[ScreenplayElement]:
    """Dialogue lines that are all in parentheses become parentheticals (``()`` is dropped)."""
    for element in elements:
        if not isinstance(element, Dialogue):
            yield element
            continue
        lines = element.text.split("\n")
        if not any(_PARENTHETICAL_LINE.fullmatch(text) for text in lines):
            yield element
            continue
        speech: list[str] = []
        for text in [*lines, "()"]:
            match = _PARENTHETICAL_LINE.fullmatch(text)
            if match is None:
                speech.append(text)
                continue
            if said := _trim_lines("\n".join(speech)):
                yield Dialogue(_canonical(said), line=element.line)
            speech = []
            if direction := match.group(1).strip():
                yield Parenthetical(_canonical(direction), line=element.line)


def _complete_blocks(elements: Iterator[ScreenplayElement]) -> Iterator[ScreenplayElement]:
    """Dialogue and parentheticals outside a dialogue block become action (or a note, when
    that is all they hold); neighbouring dialogues become one."""
    in_block = False
    previous: ScreenplayElement | None = None
    for item in elements:
        element = item
        if isinstance(element, Character):
            in_block = True
        elif isinstance(element, Dialogue | Parenthetical) and not in_block:
            text = element.text if isinstance(element, Dialogue) else f"({element.text})"
            element = _action_or_note(_canonical(text), element.line)
        elif not isinstance(element, _IN_BLOCK):
            in_block = False
        if isinstance(element, Dialogue) and isinstance(previous, Dialogue):
            previous = replace(previous, text=_canonical(f"{previous.text}\n{element.text}"))
            continue
        if previous is not None:
            yield previous
        previous = element
    if previous is not None:
        yield previous


def _canonical(markup: str) -> str:
    """``markup`` as it reads back from FDX: markup of a piece cut from (or joined to) other
    text is rewritten for the piece alone."""
    return runs_markup(text_runs(markup))


def _speech(paragraphs: list[Paragraph]) -> str:
    """The text of consecutive Dialogue paragraphs: lines trimmed, a paragraph with no text
    a blank line, except at the two ends, where it is dropped. The markup is written for the
    whole speech at once, as it will be read."""
    speech = [paragraph.runs for paragraph in paragraphs]
    while speech and _blank(speech[0]):
        speech.pop(0)
    while speech and _blank(speech[-1]):
        speech.pop()
    joined: list[Run] = []
    for number, found in enumerate(speech):
        joined += [plain_run("\n")] * (number > 0) + found
    return _stripped_lines(runs_markup(joined))


def _blank(found: list[Run]) -> bool:
    """Whether the runs hold no text (spaces only, no line break)."""
    text = "".join(run.text for run in found)
    return not text.strip() and "\n" not in text


def _stripped_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n"))


def _one_line_markup(found: list[Run]) -> str:
    """Markup of ``found`` with its lines trimmed and joined by spaces (joined before the
    markup is written: emphasis pairs within a line)."""
    return runs_markup(one_line(found))


def _raw(paragraph: Paragraph) -> str:
    return "".join(run.text for run in paragraph.runs)


def _one_line(text: str) -> str:
    """The non-blank lines of ``text`` trimmed and joined by spaces."""
    return " ".join(line.strip() for line in text.split("\n") if line.strip())


def _trim_lines(text: str) -> str:
    """``text`` with lines trimmed and blank lines at both ends dropped."""
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
