"""Fountain 1.1 → ``Screenplay``: never raises on text, linear in its length.

Steps: line endings and byte order mark normalised (``text.normalise``), tabs become four
spaces, boneyard ``/* */`` removed (``parser_boneyard``, line numbers kept true to the
source), the title page read (``parser_title``), then the body in one pass (``parser_body``).
Element text keeps inline markup as written; ``inline`` reads it.

Decisions where the spec is silent or ambiguous (each pinned by a test named ``decision``):

- A scene heading needs a blank line (or the top) before it, not after it:
  ``INT. HOUSE - DAY⏎Bob walks.`` is a heading and an action (writer intent). The line after
  a heading, and after any element that ends with its own line (section, synopsis, page
  break, centered text, transition, standalone note), is read as if a blank line preceded it.
- The first line of the script (and of the body after a title page) counts as preceded by a
  blank line.
- A transition directly followed by a scene heading is still a transition.
- Trailing whitespace only matters for transitions (``CUT TO:␣`` is action, as the spec
  says) and for the line of exactly two spaces that keeps a paragraph going. ``BOB␣`` is a
  cue; other whitespace-only lines are blank. Element text has no trailing whitespace.
- ``JOHN (O.S.) ^`` is a dual cue with extension ``O.S.``; ``(CONT'D)``, ``(MORE)`` and any
  other parenthesised group after the name are extensions, in any case. A name needs a cased
  letter and no lowercase (``R2D2`` and ``3CPO`` yes, ``23`` no); ``^`` marks dual dialogue
  only as the cue's last character.
- Title page keys are matched in any case; a script opening with ``FADE IN:`` or a heading
  has no title page; blank lines before a title page are skipped; it ends at a blank line or
  at the first line that is neither a key nor indented.
- ``~`` lines are lyrics wherever they stand; consecutive ones are one ``Lyric``. Inside a
  dialogue block the block goes on after them; inside action they split it.
- A note paragraph (``[[...]]`` alone, possibly over several lines; an empty line inside it
  holds two spaces) is a ``Note`` and ends itself; notes sharing a paragraph with other text
  stay in its text.
- A boneyard takes exactly its characters: ``a /* x */ b`` → ``a  b``, and a line that only
  held a boneyard is blank (it ends its paragraph). An unclosed ``/*`` hides everything
  after it and counts as one hidden passage.
- ``===`` and other forced markers (``.``, ``!``, ``@``, ``>``, ``#``, ``=``) are read at the
  start of a paragraph only; ``~`` anywhere (see above). Leading whitespace before a marker
  is ignored. ``FADE OUT.``, ``FADE TO BLACK.`` and ``CUT TO BLACK.`` are transitions, as in
  the reference parser; ``EXT/INT`` and ``E/I`` open headings like ``INT/EXT``.
"""

from __future__ import annotations

from fountainai.fountain.elements import Screenplay
from fountainai.fountain.parser_body import read_elements
from fountainai.fountain.parser_boneyard import remove_boneyard
from fountainai.fountain.parser_title import read_title_page
from fountainai.fountain.text import decode, normalise


def parse(text: str) -> Screenplay:
    """The screenplay a Fountain text describes (any text parses; unknown shapes are action)."""
    text = normalise(text)
    if "\t" in text:
        text = text.replace("\t", "    ")
    unburied = remove_boneyard(text)
    lines = unburied.text.split("\n")
    source_lines = unburied.source_lines or range(1, len(lines) + 1)
    title_page, start = read_title_page(lines, source_lines)
    elements = read_elements(lines, start, source_lines)
    return Screenplay(title_page, tuple(elements), hidden=unburied.hidden)


def parse_bytes(data: bytes) -> Screenplay:
    """``parse`` of a file's bytes; ``ScreenplayError`` when they are not UTF-8 text."""
    return parse(decode(data))
