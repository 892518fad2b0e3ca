"""A screenplay laid out for the terminal: a Rich renderable that prints nothing by itself.

The page is the console's width. Action wraps across all of it; dialogue blocks keep a
screenplay's margins (cue, parenthetical and speech indented, the speech a narrow column),
scaled down on consoles narrower than a 60-column page. Emphasis comes from
``fountainai.fountain.inline.runs``; inline notes are not shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style
from rich.text import Text

from fountainai.fountain import (
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
from fountainai.fountain.inline import runs

PAGE_COLUMNS = 60  # a printed page's text width at 10 characters an inch (6 inches)
DUAL_GAP = 4
DIMMED = "dim"
# The title page's centered entries (the rest go below them, as "Key: value").
_CENTERED_KEYS = ("title", "credit", "author", "authors", "source")
_IN_DIALOGUE = (Dialogue, Parenthetical, Lyric)


@dataclass(frozen=True, slots=True)
class Margins:
    """Where a dialogue block's parts start, and how wide they run, on a page ``width`` wide."""

    width: int
    cue: int
    parenthetical: int
    parenthetical_width: int
    dialogue: int
    dialogue_width: int

    @classmethod
    def of(cls, width: int) -> Margins:
        width = max(width, 10)
        scale = min(1.0, width / PAGE_COLUMNS)

        def at(columns: int) -> int:
            return int(columns * scale)

        dialogue, parenthetical = at(10), at(16)
        return cls(
            width=width,
            cue=at(22),
            parenthetical=parenthetical,
            parenthetical_width=max(1, min(at(25), width - parenthetical)),
            dialogue=dialogue,
            dialogue_width=max(1, min(at(35), width - dialogue)),
        )


def styled(text: str, style: str | Style = "") -> Text:
    """Fountain inline text as Rich text: emphasis as bold / italic / underline over ``style``."""
    result = Text(style=style)
    for run in runs(text):
        emphasis = Style(
            bold=run.bold or None, italic=run.italic or None, underline=run.underline or None
        )
        result.append(run.text, emphasis)
    return result


class ScreenplayView:
    """``console.print(ScreenplayView(screenplay))``: title page first, then the story."""

    def __init__(self, screenplay: Screenplay) -> None:
        self.screenplay = screenplay

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(console, options.max_width)

    def lines(self, console: Console, width: int) -> list[Text]:
        """Every line, at most ``width`` cells each, with no trailing padding."""
        layout = _Layout(console, Margins.of(width))
        out: list[Text] = []
        if self.screenplay.title_page:
            out.extend(layout.title_page(self.screenplay.title_page))
        for block in _blocks(self.screenplay.elements):
            if out:
                out.append(Text())
            out.extend(layout.block(block))
        return out


def _blocks(elements: Sequence[ScreenplayElement]) -> Iterator[list[ScreenplayElement]]:
    """The elements in paragraphs: a dialogue block (a cue with its speech, parentheticals and
    lyrics) is one; a dual cue's block joins the block before it (they are shown side by side)."""
    block: list[ScreenplayElement] = []
    for element in elements:
        if block and _joins(block, element):
            block.append(element)
            continue
        if block:
            yield block
        block = [element]
    if block:
        yield block


def _joins(block: Sequence[ScreenplayElement], element: ScreenplayElement) -> bool:
    if not _is_speech(block):
        return False
    if isinstance(element, _IN_DIALOGUE):
        return True
    return (
        isinstance(element, Character)
        and element.dual
        and not any(isinstance(e, Character) and e.dual for e in block)
    )


def _is_speech(block: Sequence[ScreenplayElement]) -> bool:
    return bool(block) and isinstance(block[0], (Character, Dialogue, Parenthetical))


def _paragraph(element: ScreenplayElement) -> tuple[Text, str] | None:
    """A paragraph outside dialogue as text and alignment (left, center or right)."""
    paragraph: tuple[Text, str] | None = None
    match element:
        case Action(text=text):
            paragraph = styled(text), "left"
        case Centered(text=text):
            paragraph = styled(text), "center"
        case Transition(text=text):
            paragraph = styled(text), "right"
        case Lyric(text=text):
            paragraph = styled(text, "italic"), "left"
        case Section(text=text, depth=depth):
            paragraph = styled(f"{'#' * depth} {text}", DIMMED), "left"
        case Synopsis(text=text):
            paragraph = styled(f"= {text}", DIMMED), "left"
        case Note(text=text):
            paragraph = Text(f"[[{text}]]", style=DIMMED), "left"
    return paragraph


class _Layout:
    def __init__(self, console: Console, margins: Margins) -> None:
        self.console = console
        self.margins = margins
        self.rule = "─" if console.encoding.lower().startswith("utf") else "-"

    def title_page(self, entries: Sequence[TitleEntry]) -> list[Text]:
        out: list[Text] = []
        centered = [e for e in entries if e.key.casefold() in _CENTERED_KEYS]
        for entry in centered:
            style = "bold" if entry.key.casefold() == "title" else ""
            if out:
                out.append(Text())
            out.extend(self.centered(styled(entry.value, style), self.margins.width))
        others = [e for e in entries if e.key.casefold() not in _CENTERED_KEYS]
        if others:
            out.append(Text())
        for entry in others:
            label = Text(f"{entry.key}: ", style=Style(bold=True, dim=True))
            out.extend(self.wrapped(label + styled(entry.value, DIMMED), 0, self.margins.width))
        out.append(Text(self.rule * self.margins.width, style=DIMMED))
        return out

    def block(self, block: list[ScreenplayElement]) -> list[Text]:
        if _is_speech(block):
            return self.speeches(block)
        return self.element(block[0])

    def element(self, element: ScreenplayElement) -> list[Text]:
        width = self.margins.width
        if isinstance(element, SceneHeading):
            return self.heading(element.text, element.scene_number)
        if isinstance(element, PageBreak):
            return [Text(self.rule * width, style=DIMMED)]
        paragraph = _paragraph(element)
        if paragraph is None:  # a speech without its cue
            return self.speech([element], self.margins)
        text, align = paragraph
        if align == "center":
            return self.centered(text, width)
        if align == "right":
            return self.right_aligned(text, width)
        return self.wrapped(text, 0, width)

    def heading(self, text: str, number: str | None) -> list[Text]:
        lines = self.wrapped(styled(text, "bold"), 0, self.margins.width)
        if number:
            last = lines[-1]
            room = self.margins.width - last.cell_len - len(number)
            if room >= 2:
                lines[-1] = last + Text(" " * room) + Text(number, style=DIMMED)
        return lines

    def speeches(self, block: list[ScreenplayElement]) -> list[Text]:
        """One dialogue block, or a dual pair side by side when the page is wide enough."""
        second = next(
            (i for i, e in enumerate(block) if i and isinstance(e, Character) and e.dual), None
        )
        if second is None:
            return self.speech(block, self.margins)
        column = (self.margins.width - DUAL_GAP) // 2
        if column < 20:  # too narrow for two columns: one speech after the other
            first, then = self.speech(block[:second], self.margins), block[second:]
            return [*first, Text(), *self.speech(then, self.margins)]
        margins = Margins.of(column)
        left = self.speech(block[:second], margins)
        right = self.speech(block[second:], margins)
        out: list[Text] = []
        for one, two in zip_longest(left, right, fillvalue=Text()):
            if not two.plain:
                out.append(one)
                continue
            gap = Text(" " * (column + DUAL_GAP - one.cell_len))
            out.append(one + gap + two)
        return out

    def speech(self, block: Sequence[ScreenplayElement], margins: Margins) -> list[Text]:
        out: list[Text] = []
        for element in block:
            match element:
                case Character(name=name, extensions=extensions):
                    cue = " ".join([name, *(f"({extension})" for extension in extensions)])
                    out.extend(self.wrapped(styled(cue), margins.cue, margins.width - margins.cue))
                case Parenthetical(text=text):
                    wrapped = styled(f"({text})")
                    out.extend(
                        self.wrapped(wrapped, margins.parenthetical, margins.parenthetical_width)
                    )
                case Dialogue(text=text):
                    out.extend(self.wrapped(styled(text), margins.dialogue, margins.dialogue_width))
                case Lyric(text=text):
                    lyric = styled(text, "italic")
                    out.extend(self.wrapped(lyric, margins.dialogue, margins.dialogue_width))
        return out

    def wrapped(self, text: Text, indent: int, width: int) -> list[Text]:
        """``text`` wrapped at ``width`` cells, each line indented by ``indent``."""
        lines = text.wrap(self.console, max(width, 1), justify="default")
        pad = Text(" " * indent)
        out: list[Text] = []
        for line in lines:
            line.rstrip()
            out.append(pad + line if indent else line)
        return out

    def centered(self, text: Text, width: int) -> list[Text]:
        lines = self.wrapped(text, 0, width)
        return [Text(" " * ((width - line.cell_len) // 2)) + line for line in lines]

    def right_aligned(self, text: Text, width: int) -> list[Text]:
        lines = self.wrapped(text, 0, width)
        return [Text(" " * (width - line.cell_len)) + line for line in lines]
