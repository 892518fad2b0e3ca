"""The body of a Fountain script, read in one pass over its lines.

A line is read either at the start of a paragraph (after a blank line, at the top, or after
an element that ends with its own line: heading, section, synopsis, page break, centered
text, transition, standalone note), where it is classified, or inside the paragraph being
read (action, a dialogue block, lyrics), where it continues it.
"""

from __future__ import annotations

from collections.abc import Sequence

from fountainai.fountain.elements import (
    Action,
    Centered,
    Character,
    Dialogue,
    Lyric,
    Note,
    PageBreak,
    Parenthetical,
    ScreenplayElement,
    Section,
    Synopsis,
    Transition,
)
from fountainai.fountain.parser_lines import (
    has_heading_prefix,
    is_forced_heading,
    is_heading,
    is_page_break,
    is_transition,
    read_cue,
    scan_standalone_note,
    scene_heading,
    section_depth,
    uppercase_cue,
)

_TextKind = type[Action] | type[Dialogue] | type[Lyric]
_JOINER = "  "  # a line of exactly two spaces: not blank, it keeps its paragraph going
_MARKERS = frozenset("=>#~!@")


def read_elements(
    lines: list[str], start: int, source_lines: Sequence[int]
) -> list[ScreenplayElement]:
    """The elements of ``lines[start:]``; ``source_lines[i]`` is line ``i``'s source line.
    Tabs must already be spaces."""
    return _BodyReader(lines, source_lines).read(start)


class _BodyReader:
    __slots__ = (
        "elements",
        "in_dialogue",
        "kind",
        "lines",
        "notes_fail_before",
        "source_lines",
        "text_forced",
        "text_line",
        "text_lines",
    )

    def __init__(self, lines: list[str], source_lines: Sequence[int]) -> None:
        self.lines = lines
        self.source_lines = source_lines
        self.elements: list[ScreenplayElement] = []
        # The multi-line element being gathered (action, dialogue or lyrics), if any.
        self.kind: _TextKind | None = None
        self.text_lines: list[str] = []
        self.text_line = 0
        self.text_forced = False
        self.in_dialogue = False  # after a cue, up to the next blank line
        self.notes_fail_before = 0  # no standalone note starting before this index closes

    def read(self, start: int) -> list[ScreenplayElement]:
        lines, text_lines = self.lines, self.text_lines
        count = len(lines)
        i = start
        while i < count:
            raw = lines[i]
            s = raw.strip()
            if not s:
                if self.kind is not None or self.in_dialogue:
                    self._blank(raw, i)
            elif self.kind is Action:  # the hot path: a line of action
                if s[0] == "~":
                    self._begin(Lyric, s[1:].strip(), i)
                else:
                    text_lines.append(raw.rstrip())
            elif self.in_dialogue:
                if self.kind is Dialogue and s[0] != "~" and not (s[0] == "(" and s[-1] == ")"):
                    text_lines.append(s)  # the hot path in a dialogue block
                else:
                    self._dialogue_line(s, i)
            elif self.kind is Lyric:
                self._lyric_line(raw, s, i)
            else:
                i = self._paragraph_start(raw, s, i)
                continue
            i += 1
        self._flush()
        return self.elements

    def _flush(self) -> None:
        kind = self.kind
        if kind is None:
            return
        body = "\n".join(self.text_lines)
        self.text_lines.clear()
        if kind is Action:
            self.elements.append(Action(body, forced=self.text_forced, line=self.text_line))
        else:
            self.elements.append(kind(body, line=self.text_line))
        self.kind = None

    def _begin(self, kind: _TextKind, first: str, i: int, *, forced: bool = False) -> None:
        self._flush()
        self.kind = kind
        self.text_lines.append(first)
        self.text_line = self.source_lines[i]
        self.text_forced = forced

    def _blank(self, raw: str, i: int) -> None:
        """A blank line ends the paragraph; a line of two spaces inside action or dialogue is an
        empty line of it."""
        if raw == _JOINER and self.kind is Action:
            self.text_lines.append("")
        elif raw == _JOINER and self.in_dialogue:
            if self.kind is Dialogue:
                self.text_lines.append("")
            else:
                self._begin(Dialogue, "", i)
        else:
            self._flush()
            self.in_dialogue = False

    def _dialogue_line(self, s: str, i: int) -> None:
        if s[0] == "~":
            if self.kind is Lyric:
                self.text_lines.append(s[1:].strip())
            else:
                self._begin(Lyric, s[1:].strip(), i)
        elif s[0] == "(" and s[-1] == ")":
            self._flush()
            self.elements.append(Parenthetical(s[1:-1].strip(), line=self.source_lines[i]))
        elif self.kind is Dialogue:
            self.text_lines.append(s)
        else:
            self._begin(Dialogue, s, i)

    def _lyric_line(self, raw: str, s: str, i: int) -> None:
        """After lyrics outside a dialogue block: more lyrics, or action."""
        if s[0] == "~":
            self.text_lines.append(s[1:].strip())
        else:
            self._begin(Action, raw.rstrip(), i)

    def _paragraph_start(self, raw: str, s: str, i: int) -> int:
        """Classify the first line of a paragraph; the index of the next line to read."""
        first = s[0]
        if first == "[" and s.startswith("[[") and i >= self.notes_fail_before:
            scan = scan_standalone_note(self.lines, i)
            if scan.text is not None:
                self.elements.append(Note(scan.text, line=self.source_lines[i]))
                return scan.end + 1
            self.notes_fail_before = scan.end
        if first in _MARKERS and self._marked(raw, s, i):
            return i + 1
        if first == "." and is_forced_heading(s):
            self.elements.append(scene_heading(s, forced=True, line=self.source_lines[i]))
        elif first in "IiEe" and has_heading_prefix(s):
            self.elements.append(scene_heading(s, forced=False, line=self.source_lines[i]))
        else:
            self._unmarked(raw, s, i)
        return i + 1

    def _marked(self, raw: str, s: str, i: int) -> bool:
        """A line forced by its first character (``= > # ~ ! @``); False when it is not."""
        first, line, emit = s[0], self.source_lines[i], self.elements.append
        if first == "=":
            emit(PageBreak(line=line) if is_page_break(s) else Synopsis(s[1:].strip(), line=line))
        elif first == ">":
            if len(s) == 1:
                return False
            if s[-1] == "<":
                emit(Centered(s[1:-1].strip(), line=line))
            else:
                emit(Transition(s[1:].strip(), forced=True, line=line))
        elif first == "#":
            depth = section_depth(s)
            emit(Section(s[depth:].strip(), depth=depth, line=line))
        elif first == "~":
            self._begin(Lyric, s[1:].strip(), i)
        elif first == "!":
            self._begin(Action, raw.replace("!", "", 1).rstrip(), i, forced=True)
        else:
            cue = read_cue(s[1:].strip())
            if not cue.name:
                return False
            emit(Character(cue.name, cue.extensions, cue.dual, forced=True, line=line))
            self.in_dialogue = True
        return True

    def _unmarked(self, raw: str, s: str, i: int) -> None:
        """Transition, cue or action, by case and the blank lines around."""
        lines = self.lines
        following = lines[i + 1] if i + 1 < len(lines) else ""
        blank_after = following != _JOINER and not following.strip()
        line = self.source_lines[i]
        if (
            s[-1] in ":."
            and is_transition(raw, s)
            and (blank_after or is_heading(following.strip()))
        ):
            self.elements.append(Transition(s, line=line))
            return
        if not blank_after and (cue := uppercase_cue(s)) is not None:
            self.elements.append(Character(cue.name, cue.extensions, cue.dual, line=line))
            self.in_dialogue = True
            return
        self._begin(Action, raw.rstrip(), i)
