"""Fountain text from a ``Screenplay``: the inverse of ``parser.parse``.

``write`` puts the title page first (``Key: value``; a value of several lines, or one starting
with ``//``, on lines indented by three spaces), then one paragraph per element separated by
blank lines, except a dialogue block (a ``Character`` and the run of ``Dialogue``,
``Parenthetical`` and ``Lyric`` right after it), which is one paragraph. Empty lines inside
action, dialogue and notes are written as a line of two spaces, which keeps a paragraph going.

The parser reads every paragraph on its own (its state ends at a blank line), so the writer
decides forcing exactly: it parses each paragraph's natural form, and only when that reads back
as something else (an action ``BOB⏎Hello`` reads as a cue and its dialogue, a cue ``McCLANE`` as
action, ...) does it force the paragraph's first element with ``!``, ``@``, ``.`` or ``>``. An
element whose ``forced`` flag is set is always forced. So ``parse(write(s)) == s``, except that
``forced`` turns on where forcing was needed.

What Fountain cannot say is refused, never bent: ``write`` raises ``ScreenplayError`` naming the
element, and ``check`` lists every such problem (tabs and carriage returns, which read back as
spaces and line breaks; ``/*``, which opens a boneyard; a dialogue without a cue before it; two
dialogues in a row; a note holding ``]]``; a heading that is not one line; ...). As a last guard
``write`` reads its own output back as the bytes a file would hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields, replace

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
    Screenplay,
    ScreenplayElement,
    Section,
    Synopsis,
    TitleEntry,
    Transition,
)
from fountainai.fountain.errors import ScreenplayError
from fountainai.fountain.parser import parse, parse_bytes

TITLE_INDENT = "   "
KEEP_GOING = "  "  # a line of exactly two spaces: an empty line that does not end the paragraph

_FORCE_MARK = {SceneHeading: ".", Action: "!", Character: "@", Transition: "> "}
_IN_BLOCK = (Dialogue, Parenthetical, Lyric)
_Forceable = SceneHeading | Action | Character | Transition
# Start the trial parse of a paragraph that is not the first with a neutral one (a forced
# empty action), so that it is not taken for a title page.
_NOT_FIRST = "!\n\n"
_UNCARRIABLE = re.compile(r"[\t\r\x00\ud800-\udfff]|/\*")
_UNCARRIABLE_WHY = {
    "\t": "a tab (reads back as spaces)",
    "\r": "a carriage return (reads back as a line break)",
    "/*": "'/*' (opens a boneyard)",
    "\x00": "a NUL character",
}


class _Problems:
    """Where problems go: raised at once (``write``) or collected (``check``)."""

    def __init__(self, *, collect: bool) -> None:
        self.found: list[str] | None = [] if collect else None

    def add(self, message: str) -> None:
        if self.found is None:
            raise ScreenplayError(message)
        self.found.append(message)


def write(screenplay: Screenplay) -> str:
    """Fountain text for ``screenplay``, ending in one newline (``""`` when it is empty);
    ``ScreenplayError`` naming the first element that Fountain cannot carry."""
    return _write(screenplay, _Problems(collect=False))


def check(screenplay: Screenplay) -> list[str]:
    """Why ``write(screenplay)`` would fail, one message per problem; empty when it succeeds."""
    problems = _Problems(collect=True)
    _write(screenplay, problems)
    assert problems.found is not None
    return problems.found


def _write(screenplay: Screenplay, problems: _Problems) -> str:
    paragraphs: list[str] = []
    expected: list[ScreenplayElement] = []
    if screenplay.title_page:
        paragraphs.append(_title_page(screenplay.title_page, problems))
    elements = screenplay.elements
    for start, end in _paragraph_spans(elements, problems):
        group = elements[start:end]
        if not _carriable(group, start, problems):
            continue
        written = _paragraph(group, start, problems, first=not paragraphs)
        if written is not None:
            paragraphs.append(written[0])
            expected.extend(written[1])
    text = "\n\n".join(paragraphs) + "\n" if paragraphs else ""
    if problems.found:
        return ""
    _verify(text, Screenplay(screenplay.title_page, tuple(expected)), problems)
    return text


def _paragraph_spans(
    elements: Sequence[ScreenplayElement], problems: _Problems
) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph: a dialogue block or a single element. Dialogue and
    parentheticals that no cue leads are reported and left out."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(elements):
        element = elements[index]
        end = index + 1
        if isinstance(element, Character):
            while end < len(elements) and _continues_block(elements[end - 1], elements[end]):
                end += 1
        elif isinstance(element, Dialogue | Parenthetical):
            after_dialogue = index > 0 and isinstance(elements[index - 1], Dialogue)
            problems.add(
                _named(index, element, "two dialogues in a row read back as one")
                if after_dialogue and isinstance(element, Dialogue)
                else _named(index, element, "needs a character cue before it")
            )
            index = end
            continue
        spans.append((index, end))
        index = end
    return spans


def _continues_block(previous: ScreenplayElement, element: ScreenplayElement) -> bool:
    """Whether ``element`` can be written in the dialogue block that ``previous`` is in (a
    second lyric line or dialogue in a row would join the one before)."""
    if not isinstance(element, _IN_BLOCK):
        return False
    return type(previous) is not type(element) or isinstance(element, Parenthetical)


def _carriable(group: Sequence[ScreenplayElement], start: int, problems: _Problems) -> bool:
    """Whether no text of ``group`` holds what Fountain reads as something else."""
    carriable = True
    for offset, element in enumerate(group):
        for text in _texts(element):
            found = _UNCARRIABLE.search(text)
            if found:
                what = _UNCARRIABLE_WHY.get(found.group(), "a lone surrogate (not Unicode)")
                problems.add(_named(start + offset, element, f"text holds {what}"))
                carriable = False
                break
    return carriable


def _texts(element: ScreenplayElement) -> list[str]:
    if isinstance(element, Character):
        return [element.name, *element.extensions]
    if isinstance(element, SceneHeading):
        return [element.text, element.scene_number or ""]
    text = getattr(element, "text", None)
    return [text] if isinstance(text, str) else []


def _paragraph(
    group: Sequence[ScreenplayElement], start: int, problems: _Problems, *, first: bool
) -> tuple[str, list[ScreenplayElement]] | None:
    """The paragraph's text and the elements it reads back as. The natural form is tried
    first; the first element is forced only when that form reads back differently (or its
    ``forced`` flag is set). ``None`` (after reporting) when no form reads back."""
    head = group[0]
    rest = [line for element in group[1:] for line in _lines(element)]
    attempts: list[tuple[list[str], list[ScreenplayElement]]] = []
    if not (isinstance(head, _Forceable) and head.forced):
        attempts.append((_lines(head), list(group)))
    if isinstance(head, _Forceable):
        attempts.append((_forced_lines(head), [replace(head, forced=True), *group[1:]]))
    got: list[ScreenplayElement] = []
    wanted: list[ScreenplayElement] = []
    for lines, wanted in attempts:
        text = "\n".join([*lines, *rest])
        got = _trial(text, first=first)
        if got == wanted:
            return text, wanted
    for offset, element in enumerate(wanted):
        if offset >= len(got) or got[offset] != element:
            read = _show(got[offset]) if offset < len(got) else "nothing"
            problems.add(_named(start + offset, group[offset], f"would read back as {read}"))
            return None
    problems.add(_named(start, head, f"would read back as {len(got)} elements"))
    return None


def _lines(element: ScreenplayElement) -> list[str]:
    """The natural form of ``element``."""
    match element:
        case SceneHeading(text=text, scene_number=number):
            lines = [text if number is None else f"{text} #{number}#"]
        case Action(text=text) | Dialogue(text=text):
            lines = [line or KEEP_GOING for line in text.split("\n")]
        case Centered(text=text):
            lines = [f"> {text} <"]
        case Character(name=name, extensions=extensions, dual=dual):
            lines = [name + "".join(f" ({one})" for one in extensions) + (" ^" if dual else "")]
        case Parenthetical(text=text):
            lines = [f"({text})"]
        case Lyric(text=text):
            lines = ["~" + line for line in text.split("\n")]
        case Transition(text=text):
            lines = [text]
        case PageBreak():
            lines = ["==="]
        case Section(text=text, depth=depth):
            lines = ["#" * depth + (" " + text if text else "")]
        case Synopsis(text=text):
            lines = ["= " + text if text else "="]
        case Note(text=text):
            first, *others = text.split("\n")
            lines = ["[[" + first, *(line or KEEP_GOING for line in others)]
            lines[-1] += "]]"
        case _:  # pragma: no cover
            raise AssertionError(element)
    return lines


def _forced_lines(element: _Forceable) -> list[str]:
    """``element`` with its force mark; an action's first line keeps its indentation and is
    written even when empty (``!`` alone)."""
    mark = _FORCE_MARK[type(element)]
    if isinstance(element, Action):
        first, *others = element.text.split("\n")
        return [mark + first, *(line or KEEP_GOING for line in others)]
    first, *others = _lines(element)
    return [mark + first, *others]


def _trial(text: str, *, first: bool) -> list[ScreenplayElement]:
    """What ``text`` reads back as, standing first in the script or after other paragraphs."""
    if first:
        read = parse(text)
        return [] if read.title_page else list(read.elements)
    return list(parse(_NOT_FIRST + text).elements[1:])


def _title_page(entries: Sequence[TitleEntry], problems: _Problems) -> str:
    lines: list[str] = []
    for entry in entries:
        value = entry.value
        if "\n" in value or value.startswith("//"):
            lines.append(f"{entry.key}:")
            lines.extend(TITLE_INDENT + line for line in value.split("\n"))
        else:
            lines.append(f"{entry.key}: {value}" if value else f"{entry.key}:")
    text = "\n".join(lines)
    for index, entry in enumerate(entries):
        found = _UNCARRIABLE.search(entry.key + "\n" + entry.value)
        if found:
            what = _UNCARRIABLE_WHY.get(found.group(), "a lone surrogate (not Unicode)")
            problems.add(f"title page entry {index} ({entry.key!r:.40}): holds {what}")
            return text
    read = parse(text)
    if read.title_page == tuple(entries) and not read.elements:
        return text
    for index, entry in enumerate(entries):
        got = read.title_page[index] if index < len(read.title_page) else None
        if got != entry:
            shown = "nothing" if got is None else f"{got.key!r:.40}: {got.value!r:.40}"
            problems.add(f"title page entry {index} ({entry.key!r:.40}): would read as {shown}")
            return text
    problems.add(f"title page: would read back with {len(read.elements)} elements after it")
    return text


def _verify(text: str, expected: Screenplay, problems: _Problems) -> None:
    """Read ``text`` back the way a saved file is read; report where it differs."""
    try:
        read = parse_bytes(text.encode("utf-8"))
    except ScreenplayError as error:
        problems.add(f"the text would not read back: {error}")
        return
    if read.title_page != expected.title_page:
        problems.add("the title page would not read back the same")
    for index, (got, want) in enumerate(zip(read.elements, expected.elements, strict=False)):
        if got != want:
            problems.add(_named(index, want, f"would read back as {_show(got)}"))
            return
    if len(read.elements) != len(expected.elements):
        problems.add(f"would read back as {len(read.elements)} elements")


def _named(index: int, element: ScreenplayElement, problem: str) -> str:
    return f"element {index} ({type(element).__name__}): {problem}"


def _show(element: ScreenplayElement | None) -> str:
    """``Dialogue(text='Hi')``: the element without its line, cut to 80 characters."""
    if element is None:
        return "nothing"
    values = ", ".join(
        f"{field.name}={getattr(element, field.name)!r}"
        for field in fields(element)
        if field.name != "line"
    )
    shown = f"{type(element).__name__}({values})"
    return shown if len(shown) <= 80 else shown[:77] + "..."
