"""Odd and hostile input: empty text, line endings, true line numbers, huge and pathological
files (correctness only; they finish because every step is linear), arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fountainai.fountain.elements import (
    Action,
    Character,
    Dialogue,
    Note,
    SceneHeading,
    Screenplay,
    TitleEntry,
    Transition,
)
from fountainai.fountain.errors import ScreenplayError
from fountainai.fountain.parser import parse, parse_bytes

MEGABYTE = 1_000_000


@pytest.mark.parametrize(
    "source", ["", "\n", "\n\n\n", "   \n\t\n  ", "\r\n\r\n", "\ufeff", "/**/"]
)
def test_empty_and_whitespace_only(source: str) -> None:
    assert parse(source) == Screenplay()


def test_parse_bytes_decodes() -> None:
    assert parse_bytes(b"\xef\xbb\xbfBOB\r\nHi.\r\n") == Screenplay(
        elements=(Character("BOB"), Dialogue("Hi."))
    )
    with pytest.raises(ScreenplayError):
        parse_bytes(b"BOB\n\xffHi.")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_parse_alike(newline: str) -> None:
    source = newline.join(["Title: T", "", "INT. A - DAY", "", "BOB", "Hi.", "", "Action."])
    screenplay = parse(source)
    assert screenplay.title_page == (TitleEntry("Title", "T"),)
    assert screenplay.elements == (
        SceneHeading("INT. A - DAY"),
        Character("BOB"),
        Dialogue("Hi."),
        Action("Action."),
    )
    assert [e.line for e in screenplay.elements] == [3, 5, 6, 8]


def test_line_numbers_stay_true_across_boneyards() -> None:
    source = "\n".join(
        [
            "Action one.",  # 1
            "",
            "/* a",  # 3
            "hidden",
            "",
            "block */",  # 6
            "",
            "INT. X /* mid",  # 8
            "line */ - DAY",  # 9
            "",
            "/* x */ BOB",  # 11
            "Hi.",  # 12
            "",
            "[[note]]",  # 14
        ]
    )
    screenplay = parse(source)
    assert screenplay.elements == (
        Action("Action one."),
        SceneHeading("INT. X  - DAY"),
        Character("BOB"),
        Dialogue("Hi."),
        Note("note"),
    )
    assert [e.line for e in screenplay.elements] == [1, 8, 11, 12, 14]
    assert screenplay.hidden == 3


def test_text_after_a_closing_boneyard_gets_its_own_line() -> None:
    screenplay = parse("/* hidden\nhidden */ Visible.")
    assert screenplay.elements == (Action(" Visible."),)
    assert screenplay.elements[0].line == 2


def test_a_megabyte_line() -> None:
    line = "word " * (MEGABYTE // 5)
    assert parse(line).elements == (Action(line.rstrip()),)


@pytest.mark.parametrize(
    "source",
    [
        "*" * MEGABYTE,
        "[[" * (MEGABYTE // 2),
        "[[\n" * (MEGABYTE // 3),
        "[[A TO:\nINT. X\n" * (MEGABYTE // 14),
        "/*" * (MEGABYTE // 2),
        "/*\n*/\n" * (MEGABYTE // 6),
        "#" * MEGABYTE,
        "INT. X " + "#" * MEGABYTE,
        "BOB " + " " * MEGABYTE + "(X)\nHi.",
        "BOB " + "(" * MEGABYTE + "\nHi.",
        "Title: x\n" + "    more\n" * (MEGABYTE // 9),
        "A\n" * (MEGABYTE // 2),
        "~\n" * (MEGABYTE // 2),
        "BOB\n(x)\n" * (MEGABYTE // 6),
    ],
    ids=[
        "stars",
        "unclosed-notes",
        "note-lines",
        "note-scans-between-headings",
        "boneyard-openers",
        "boneyards",
        "hashes",
        "scene-number-hashes",
        "spaces-in-cue",
        "parentheses-in-cue",
        "long-title-value",
        "short-lines",
        "lyric-lines",
        "parentheticals",
    ],
)
def test_pathological_input_parses(source: str) -> None:
    screenplay = parse(source)
    assert all(element.line >= 1 for element in screenplay.elements)


def test_pathological_shapes_read_right() -> None:
    assert parse("*" * 1000).elements == (Action("*" * 1000),)
    assert parse("[[" * 500).elements == (Action("[[" * 500),)
    assert parse("/* " * 500) == Screenplay()
    assert parse("/* " * 500).hidden == 1
    assert parse("/*/*/").hidden == 1  # "/*", "/", "*/"
    screenplay = parse("[[A TO:\nINT. X\n" * 3)
    assert screenplay.elements == (Transition("[[A TO:"), SceneHeading("INT. X")) * 3


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses_with_lines_in_range(text: str) -> None:
    screenplay = parse(text)
    line_count = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for element in (*screenplay.title_page, *screenplay.elements):
        assert 1 <= element.line <= line_count


FOUNTAIN_LINES = [
    "",
    "  ",
    "INT. X",
    "BOB",
    "(beat)",
    "~la",
    "Hi.",
    "/*",
    "*/",
    "x /* y",
    "[[",
    "]]",
    "> A <",
    "===",
    "# S",
    "= s",
    "CUT TO:",
    "@b ^",
    "Title: T",
    "    v",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FOUNTAIN_LINES), max_size=30))
def test_fountain_shaped_lines_point_at_their_source(lines: list[str]) -> None:
    """Every element's line is in range, in order, and holds text (or the two-space line)."""
    screenplay = parse("\n".join(lines))
    for element in (*screenplay.title_page, *screenplay.elements):
        assert 1 <= element.line <= len(lines)
        source = lines[element.line - 1]
        assert source.strip() or source == "  "
    lines_seen = [element.line for element in screenplay.elements]
    assert lines_seen == sorted(lines_seen)
