"""Fountain and Final Draft (FDX) screenplays: a pure, I/O-free parser and writer.

Everything here works on ``str``/``bytes`` in memory and imports nothing from the platform
(an import-linter contract checks it), so services, the CLI and benchmarks share one reading of
the format. See ``elements`` for the model every reader produces and every writer takes:

- Fountain: ``parse(text)`` / ``parse_bytes(data)`` (``decode`` first: BOM, strict UTF-8,
  line endings, binary refused) and ``write(screenplay)`` (``check`` lists what Fountain
  cannot say); the answers to the spec's ambiguities are in ``parser``'s docstring.
- Final Draft: ``read_fdx(data)`` (defusedxml; DTDs and entities refused) and ``write_fdx``.
- JSON: ``to_data`` / ``from_data`` (strictly validated).
- Inline markup: ``runs(text)`` → styled ``Run``s, ``markup(runs)`` back, ``plain_text``.

Every reader raises ``ScreenplayError`` (with the line when known) for input it cannot read.
"""

from fountainai.fountain.elements import (
    Action,
    Centered,
    Character,
    Dialogue,
    Element,
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
from fountainai.fountain.fdx import read_fdx, write_fdx
from fountainai.fountain.inline import Run, markup, plain_text, runs
from fountainai.fountain.jsonformat import from_data, to_data
from fountainai.fountain.parser import parse, parse_bytes
from fountainai.fountain.text import decode
from fountainai.fountain.writer import check, write

__all__ = [
    "Action",
    "Centered",
    "Character",
    "Dialogue",
    "Element",
    "Lyric",
    "Note",
    "PageBreak",
    "Parenthetical",
    "Run",
    "SceneHeading",
    "Screenplay",
    "ScreenplayElement",
    "ScreenplayError",
    "Section",
    "Synopsis",
    "TitleEntry",
    "Transition",
    "check",
    "decode",
    "from_data",
    "markup",
    "parse",
    "parse_bytes",
    "plain_text",
    "read_fdx",
    "runs",
    "to_data",
    "write",
    "write_fdx",
]
