"""Inline markup: emphasis (spec rule 10), escapes, notes, and runs written back as markup."""

from __future__ import annotations

from itertools import groupby

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fountainai.fountain.inline import Run, markup, notes, plain_text, runs

BOLD, ITALIC, UNDERLINE, BOLD_ITALIC = (
    {"bold": True},
    {"italic": True},
    {"underline": True},
    {"bold": True, "italic": True},
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("plain", [Run("plain")]),
        ("*italics*", [Run("italics", **ITALIC)]),
        ("**bold**", [Run("bold", **BOLD)]),
        ("***bold italics***", [Run("bold italics", **BOLD_ITALIC)]),
        ("_underline_", [Run("underline", **UNDERLINE)]),
        (
            "_Steel's face FILLS the *Leupold Mark 4* scope_.",
            [
                Run("Steel's face FILLS the ", **UNDERLINE),
                Run("Leupold Mark 4", italic=True, underline=True),
                Run(" scope", **UNDERLINE),
                Run("."),
            ],
        ),
        ("_**BRICK & STEEL**_", [Run("BRICK & STEEL", bold=True, underline=True)]),
        ("**\\*9765\\***", [Run("*9765*", **BOLD)]),
        (
            "He dialed *69 and then *23, and then hung up.",
            [Run("He dialed *69 and then *23, and then hung up.")],
        ),
        (
            "He dialed *69 and then 23*, and then hung up.",
            [Run("He dialed "), Run("69 and then 23", **ITALIC), Run(", and then hung up.")],
        ),
        (
            "He dialed ***69 and then 23***, and then hung up.",
            [Run("He dialed "), Run("69 and then 23", **BOLD_ITALIC), Run(", and then hung up.")],
        ),
        ("He dialed _69 and then 23 _, and", [Run("He dialed _69 and then 23 _, and")]),
        ("He dialed *69 and then 23\\*, and", [Run("He dialed *69 and then 23*, and")]),
        (
            "*share a look.\n\nThis is going to be BAD.*",
            [Run("*share a look.\n\nThis is going to be BAD.*")],
        ),
        ("*one\ntwo*", [Run("*one\ntwo*")]),
        ("*a*\n*b*", [Run("a", **ITALIC), Run("\n"), Run("b", **ITALIC)]),
        ("a*b*c", [Run("a"), Run("b", **ITALIC), Run("c")]),
        ("* not *", [Run("* not *")]),
        ("****x****", [Run("****x****")]),
        ("__init__", [Run("__init__")]),
        ("***a* b**", [Run("a", **BOLD_ITALIC), Run(" b", **BOLD)]),
        ("**bold *italic***", [Run("bold ", **BOLD), Run("italic", **BOLD_ITALIC)]),
        ("*a **b** c*", [Run("a ", **ITALIC), Run("b", **BOLD_ITALIC), Run(" c", **ITALIC)]),
        ("***a*", [Run("**"), Run("a", **ITALIC)]),
        ("*a *b* c", [Run("*a "), Run("b", **ITALIC), Run(" c")]),
        ("\\_not\\_", [Run("_not_")]),
        ("back\\slash \\n", [Run("back\\slash \\n")]),
        # No escape for the backslash itself: "\\*" is a backslash and a literal star.
        ("a\\\\*b*", [Run("a\\*b*")]),
        ("a [[note]] b", [Run("a  b")]),
        ("*a [[note]] b*", [Run("a  b", **ITALIC)]),
        ("x[[multi\nline]]y", [Run("xy")]),
        ("[[only a note]]", []),
        ("a [[unclosed", [Run("a [[unclosed")]),
        ("a ]] b", [Run("a ]] b")]),
    ],
)
def test_runs(text: str, expected: list[Run]) -> None:
    assert runs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("INT. HOUSE - DAY", "INT. HOUSE - DAY"),
        ("**\\*9765\\***", "*9765*"),
        ("Hi [[note]]there *you*.", "Hi there you."),
        ("under_score_s", "underscores"),
        ("a [[b", "a [[b"),
    ],
)
def test_plain_text(text: str, expected: str) -> None:
    assert plain_text(text) == expected


def test_notes() -> None:
    text = "DAN and JACK[[Or did we name them?]]. [[ two\nlines ]] [[unclosed"
    assert notes(text) == ["Or did we name them?", "two\nlines"]
    assert notes("none") == []
    assert notes("[[]]") == [""]


@pytest.mark.parametrize(
    ("styled", "expected"),
    [
        ([], ""),
        ([Run("plain")], "plain"),
        ([Run("a", **ITALIC), Run("b", **BOLD)], "*a***b**"),
        ([Run("He dialed *69 and *23.")], "He dialed *69 and *23."),
        ([Run("a *b* c")], "a \\*b\\* c"),
        ([Run("snake_case"), Run(" bold ", **BOLD), Run("end")], "snake_case **bold** end"),
        ([Run("one\ntwo", **ITALIC)], "*one*\n*two*"),
        ([Run("  ", **BOLD)], "  "),
        ([Run("x\\", **ITALIC)], "*x\\[[]]*"),
        ([Run("a", **UNDERLINE), Run("b", **UNDERLINE)], "_ab_"),
        ([Run("a ", **ITALIC), Run(""), Run("b", **ITALIC)], "*a b*"),
    ],
)
def test_markup(styled: list[Run], expected: str) -> None:
    assert markup(styled) == expected


def visible(styled: list[Run]) -> list[Run]:
    """What markup promises to keep: runs merged by style, except that whitespace at the
    edges of a styled stretch (per line) loses its style."""
    chars: list[tuple[str, tuple[bool, bool, bool]]] = [
        (char, (run.bold, run.italic, run.underline)) for run in styled for char in run.text
    ]
    plain = (False, False, False)
    chars = [(char, plain if char == "\n" else style) for char, style in chars]
    start = 0
    while start < len(chars):
        end = start
        while end < len(chars) and chars[end][1] == chars[start][1]:
            end += 1
        if chars[start][1] != plain:
            low, high = start, end
            while low < high and chars[low][0].isspace():
                low += 1
            while high > low and chars[high - 1][0].isspace():
                high -= 1
            for index in [*range(start, low), *range(high, end)]:
                chars[index] = (chars[index][0], plain)
        start = end
    return [
        Run("".join(char for char, _ in group), *style)
        for style, group in groupby(chars, key=lambda pair: pair[1])
    ]


texts = st.text(alphabet=st.sampled_from("ab *_\\\n\t[]é"), max_size=12).filter(
    lambda text: "[[" not in text
)
styled_runs = st.lists(
    st.builds(Run, texts, st.booleans(), st.booleans(), st.booleans()), max_size=6
).filter(lambda styled: "[[" not in "".join(run.text for run in styled))


@settings(max_examples=300, deadline=None)
@given(styled_runs)
def test_markup_reads_back(styled: list[Run]) -> None:
    assert runs(markup(styled)) == visible(styled)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab *_\\\n[]"), max_size=40))
def test_runs_keep_every_visible_character(text: str) -> None:
    """Whatever the markup, runs only drop delimiters, escapes' backslashes and notes, and
    markup writes them back."""
    read = "".join(run.text for run in runs(text))
    assert len(read) <= len(text)
    assert read == plain_text(text)
    if "[[" not in text:
        assert runs(markup(runs(text))) == visible(runs(text))


SIZE = 300_000  # quadratic work at this size would never finish


@pytest.mark.parametrize(
    "text",
    [
        "*" * SIZE,
        "* " * (SIZE // 2),
        "*a " * (SIZE // 3),
        "[[" * (SIZE // 2),
        "[[x]] " * (SIZE // 6),
        "_a " * (SIZE // 3) + "b_",
        "\\*" * (SIZE // 2),
        "*a\n" * (SIZE // 3),
    ],
    ids=[
        "stars",
        "spaced-stars",
        "openers",
        "unclosed-notes",
        "notes",
        "underlines",
        "escapes",
        "lines",
    ],
)
def test_pathological_inline_text(text: str) -> None:
    read = runs(text)
    assert "".join(run.text for run in read) == plain_text(text)
    assert len(read) <= 2
