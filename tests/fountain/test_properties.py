"""Properties of the writer over generated screenplays: what it writes reads back the same, it
is stable after one pass, and it refuses (never bends) what Fountain cannot carry."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fountainai.fountain import Screenplay, ScreenplayError
from fountainai.fountain.jsonformat import from_data, to_data
from fountainai.fountain.parser import parse, parse_bytes
from fountainai.fountain.writer import check, write
from tests.fountain.strategies import (
    any_screenplays,
    forcing_kept,
    unforced,
    writable_screenplays,
)

BOUNDED = settings(max_examples=200, deadline=None)


def _reads_back_as(text: str, screenplay: Screenplay) -> None:
    read = parse(text)
    assert read.title_page == screenplay.title_page
    assert unforced(read.elements) == unforced(screenplay.elements)
    assert forcing_kept(screenplay.elements, read.elements)


@BOUNDED
@given(writable_screenplays())
def test_writable_screenplays_read_back_the_same(screenplay: Screenplay) -> None:
    assert check(screenplay) == []
    text = write(screenplay)
    assert text.endswith("\n") or not text
    _reads_back_as(text, screenplay)
    # Once written, the forcing the writer chose is part of the screenplay: the text is
    # stable and reads back equal, flags included.
    read = parse(text)
    assert write(read) == text
    assert parse(write(read)) == read
    assert from_data(to_data(screenplay)) == screenplay


@BOUNDED
@given(any_screenplays())
def test_anything_is_written_faithfully_or_refused(screenplay: Screenplay) -> None:
    problems = check(screenplay)
    if problems:
        with pytest.raises(ScreenplayError) as raised:
            write(screenplay)
        assert str(raised.value) == problems[0]
    else:
        _reads_back_as(write(screenplay), screenplay)


@BOUNDED
@given(st.text(max_size=300))
def test_whatever_parses_is_written_back(source: str) -> None:
    """Any text a file may hold (the parser reads its bytes) gives a screenplay the writer
    writes, and writing is stable after one pass."""
    try:
        original = parse_bytes(source.encode("utf-8", "surrogatepass"))
    except ScreenplayError:
        assume(False)
    problems = check(original)
    assert problems == []
    text = write(original)
    _reads_back_as(text, original)
    assert write(parse(text)) == text


_FOUNTAINISH = st.lists(
    st.sampled_from(
        [
            *("", "  ", "   ", "BOB", "BOB ^", "@bob", "(beat)", "~la", "~", "!", "!  x"),
            *(".X", "INT. A", "CUT TO:", "CUT TO: ", "> a <", ">b", "===", "#", "## s", "= s"),
            *("[[", "]]", "[[n]]", "[[a", "b]]", "Title: T", "Key:", "   v", "hello", "  hi"),
            *("/*", "*/", "\t", "*x*", "\\*", "_u_", "日本", "a:b", "//c"),
        ]
    ),
    max_size=12,
).map("\n".join)


@BOUNDED
@given(_FOUNTAINISH)
def test_whatever_fountainish_text_parses_is_written_back(source: str) -> None:
    original = parse(source)
    assert check(original) == []
    text = write(original)
    _reads_back_as(text, original)
    assert write(parse(text)) == text
