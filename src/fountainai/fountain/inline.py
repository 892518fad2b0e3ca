"""Fountain inline markup: element text ⇄ styled runs.

Emphasis (spec rule 10): ``*italic*``, ``**bold**``, ``***bold italic***``, ``_underline_``,
combinable and nestable, never across a line break. A delimiter opens when a non-space
character follows it and closes when one precedes it, so ``*69 and then *23`` stays literal;
``\\*`` and ``\\_`` are literal. A run of four or more ``*`` (or two or more ``_``) is
literal. Inline notes ``[[...]]`` (which may span lines) are not text: ``runs`` and
``plain_text`` drop them, ``notes`` lists them. One left-to-right scan with a stack per style:
linear in the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


_ITALIC, _BOLD, _UNDERLINE = 1, 2, 4
_STYLES = (_ITALIC, _BOLD, _UNDERLINE)
_Style = tuple[bool, bool, bool]  # bold, italic, underline
_ESCAPE, _NOTE, _NEWLINE, _DELIMITER = 0, 1, 2, 3
_STAR_STYLES = {1: _ITALIC, 2: _BOLD, 3: _ITALIC | _BOLD}
_TOKEN = re.compile(r"\\[*_]|\*+|_+|\[\[|\n")
_MARKUP_CHARS = re.compile(r"[*_\\\[]")
_ESCAPES = str.maketrans({"*": "\\*", "_": "\\_"})


def runs(text: str) -> list[Run]:
    """The styled runs of ``text`` (adjacent runs of one style merged, notes dropped)."""
    if _MARKUP_CHARS.search(text) is None:
        return [Run(text)] if text else []
    return _Reader(text).runs()


def plain_text(text: str) -> str:
    """``text`` without emphasis markers and notes, escapes resolved."""
    if _MARKUP_CHARS.search(text) is None:
        return text
    return "".join(run.text for run in _Reader(text).runs())


def notes(text: str) -> list[str]:
    """The inline notes of ``text``, without brackets, stripped."""
    found: list[str] = []
    start = text.find("[[")
    while start >= 0:
        end = text.find("]]", start + 2)
        if end < 0:
            break
        found.append(text[start + 2 : end].strip())
        start = text.find("[[", end + 2)
    return found


class _Reader:
    """One text's tokens, paired delimiters and the runs they make."""

    def __init__(self, text: str) -> None:
        self.text = text
        # (start, end, kind, styles a delimiter may toggle)
        self.tokens: list[tuple[int, int, int, int]] = []
        self.opens: list[int] = []  # per token: the styles it opens / closes once paired
        self.closes: list[int] = []
        self._tokenize()
        self._pair()

    def _tokenize(self) -> None:
        text = self.text
        tokens = self.tokens
        append = tokens.append
        skip_to = 0  # the end of the last note: tokens inside it are not tokens
        notes_closed = True  # False once a "[[" found no "]]": none later will
        for match in _TOKEN.finditer(text):
            start, end = match.span()
            if start < skip_to:
                continue
            first = text[start]
            if first == "*":
                append((start, end, _DELIMITER, _STAR_STYLES.get(end - start, 0)))
            elif first == "_":
                append((start, end, _DELIMITER, _UNDERLINE if end == start + 1 else 0))
            elif first == "\n":
                append((start, end, _NEWLINE, 0))
            elif first == "\\":
                append((start, end, _ESCAPE, 0))
            elif notes_closed:
                close = text.find("]]", end)
                if close < 0:
                    notes_closed = False
                else:
                    skip_to = close + 2
                    append((start, skip_to, _NOTE, 0))
        self.opens = [0] * len(tokens)
        self.closes = [0] * len(tokens)

    def _pair(self) -> None:
        """Pair each closing delimiter with the latest open one of its style on its line."""
        text, length = self.text, len(self.text)
        opens, closes = self.opens, self.closes
        stacks: tuple[tuple[int, list[int]], ...] = ((_ITALIC, []), (_BOLD, []), (_UNDERLINE, []))
        for index, (start, end, kind, styles) in enumerate(self.tokens):
            if not styles:
                if kind == _NEWLINE:
                    for _, stack in stacks:
                        stack.clear()
                continue
            can_close = start > 0 and not text[start - 1].isspace()
            can_open = end < length and not text[end].isspace()
            for style, stack in stacks:
                if styles & style:
                    if can_close and stack:
                        opens[stack.pop()] |= style
                        closes[index] |= style
                    elif can_open:
                        stack.append(index)

    def runs(self) -> list[Run]:
        text = self.text
        pieces: list[tuple[_Style, str]] = []
        append = pieces.append
        depth = {_ITALIC: 0, _BOLD: 0, _UNDERLINE: 0}
        style: _Style = (False, False, False)
        position = 0
        for index, (start, end, kind, _) in enumerate(self.tokens):
            if start > position:
                append((style, text[position:start]))
            position = end
            if kind == _DELIMITER:
                closes, opens = self.closes[index], self.opens[index]
                if closes:
                    style = _shift(depth, closes, -1)
                literal = end - start - _width(closes | opens)
                if literal:
                    append((style, text[start] * literal))
                if opens:
                    style = _shift(depth, opens, 1)
            elif kind != _NOTE:  # an escaped character or a line break
                append((style, text[end - 1]))
        if position < len(text):
            append((style, text[position:]))
        result = []
        for (bold, italic, underline), group in groupby(pieces, key=itemgetter(0)):
            joined = "".join(piece for _, piece in group)
            if joined:
                result.append(Run(joined, bold, italic, underline))
        return result


def _shift(depth: dict[int, int], styles: int, step: int) -> _Style:
    """Open (``step`` 1) or close (-1) ``styles``; the style now in force."""
    for flag in _STYLES:
        if styles & flag:
            depth[flag] += step
    return (depth[_BOLD] > 0, depth[_ITALIC] > 0, depth[_UNDERLINE] > 0)


def _width(styles: int) -> int:
    """How many delimiter characters these paired styles use."""
    return (styles & _ITALIC) + (styles & _BOLD) + (1 if styles & _UNDERLINE else 0)


def markup(styled: Sequence[Run]) -> str:
    """Runs → Fountain inline text that ``runs`` reads back as the same styled text.

    Whitespace at the edges of a styled run (and line breaks) is written unstyled, as
    emphasis cannot start or end on a space nor cross a line. Literal ``*`` and ``_`` are
    escaped only when the text would otherwise read differently. Fountain has no escape for
    ``[[``: a run holding ``[[...]]`` comes back as a note."""
    pieces = _normalised(styled)
    plain = _write(pieces, escape=False)
    if runs(plain) == pieces:
        return plain
    return _write(pieces, escape=True)


def _normalised(styled: Sequence[Run]) -> list[Run]:
    """Runs merged by style, then the whitespace at the edges of each styled stretch and line
    breaks made plain."""
    plain: _Style = (False, False, False)
    pieces: list[tuple[_Style, str]] = []
    for style, group in groupby(
        (run for run in styled if run.text), key=lambda run: (run.bold, run.italic, run.underline)
    ):
        text = "".join(run.text for run in group)
        if style == plain:
            pieces.append((plain, text))
            continue
        for number, line in enumerate(text.split("\n")):
            if number:
                pieces.append((plain, "\n"))
            core = line.strip()
            lead = line[: len(line) - len(line.lstrip())] if core else line
            pieces.append((plain, lead))
            pieces.append((style, core))
            pieces.append((plain, line[len(lead) + len(core) :]))
    return [
        Run("".join(text for _, text in same), *style)
        for style, same in groupby((piece for piece in pieces if piece[1]), key=itemgetter(0))
    ]


def _write(pieces: list[Run], *, escape: bool) -> str:
    out: list[str] = []
    bold = italic = underline = False
    for piece in [*pieces, Run("")]:
        # Close what ends, then open what starts: stars before the underscore when closing,
        # after it when opening, so every delimiter touches text or another delimiter.
        delimiters = ""
        if italic and not piece.italic:
            delimiters += "*"
        if bold and not piece.bold:
            delimiters += "**"
        if underline and not piece.underline:
            delimiters += "_"
        if piece.underline and not underline:
            delimiters += "_"
        if piece.italic and not italic:
            delimiters += "*"
        if piece.bold and not bold:
            delimiters += "**"
        if delimiters and out and out[-1].endswith("\\"):
            out.append("[[]]")  # an empty note keeps the backslash from escaping the delimiter
        out.append(delimiters)
        out.append(piece.text.translate(_ESCAPES) if escape else piece.text)
        bold, italic, underline = piece.bold, piece.italic, piece.underline
    return "".join(out)
