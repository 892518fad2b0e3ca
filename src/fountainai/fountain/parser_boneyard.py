"""Boneyard removal: ``/* ... */`` passages cut out before block parsing.

A passage may sit inside a line or span any number of lines and blank lines. Exactly the
characters from ``/*`` to ``*/`` go; the text around them stays, so ``a /* x */ b`` becomes
``a  b`` and a passage on lines of its own leaves those lines empty. An unclosed ``/*`` hides
everything to the end. Because a passage takes its line breaks with it, the result comes with
a map from each remaining line to its 1-based source line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Unburied:
    """Text without its boneyard; ``source_lines[i]`` is the source line of line ``i`` (``None``
    when nothing was removed: line ``i`` is source line ``i + 1``)."""

    text: str
    source_lines: list[int] | None
    hidden: int


def remove_boneyard(text: str) -> Unburied:
    """Cut every ``/* ... */`` passage out of ``text``, counting them."""
    start = text.find("/*")
    if start < 0:
        return Unburied(text, None, 0)
    pieces: list[str] = []
    source_lines = [1]
    source_line = 1
    line_has_text = False
    position = 0
    hidden = 0
    while start >= 0:
        kept = text[position:start]
        pieces.append(kept)
        source_line, line_has_text = _advance(kept, source_lines, source_line, line_has_text)
        end = text.find("*/", start + 2)
        position = len(text) if end < 0 else end + 2
        source_line += text.count("\n", start, position)
        if not line_has_text:
            # The visible text of this line starts after the passage: point there.
            source_lines[-1] = source_line
        hidden += 1
        start = text.find("/*", position)
    kept = text[position:]
    pieces.append(kept)
    _advance(kept, source_lines, source_line, line_has_text)
    return Unburied("".join(pieces), source_lines, hidden)


def _advance(
    kept: str, source_lines: list[int], source_line: int, line_has_text: bool
) -> tuple[int, bool]:
    """Record the lines that kept text starts; return the current source line and whether the
    current output line already holds visible text."""
    breaks = kept.count("\n")
    if breaks:
        source_lines.extend(range(source_line + 1, source_line + breaks + 1))
        tail = kept[kept.rfind("\n") + 1 :]
        return source_line + breaks, bool(tail) and not tail.isspace()
    return source_line, line_has_text or (bool(kept) and not kept.isspace())
