"""What Fountain cannot carry is refused with the element named, never written differently."""

from __future__ import annotations

import pytest

from fountainai.fountain import (
    Action,
    Centered,
    Character,
    Dialogue,
    Lyric,
    Note,
    Parenthetical,
    SceneHeading,
    Screenplay,
    ScreenplayElement,
    ScreenplayError,
    TitleEntry,
    Transition,
)
from fountainai.fountain.writer import check, write

BOB = Character("BOB")


@pytest.mark.parametrize(
    ("elements", "problem"),
    [
        ((Dialogue("Hi."),), "element 0 (Dialogue): needs a character cue before it"),
        ((Action("x"), Parenthetical("beat")), "element 1 (Parenthetical): needs a character"),
        ((BOB, Dialogue("a"), Dialogue("b")), "element 2 (Dialogue): two dialogues in a row"),
        ((BOB, Lyric("a"), Lyric("b"), Dialogue("c")), "element 3 (Dialogue): needs a character"),
        ((Action("a\tb"),), "element 0 (Action): text holds a tab (reads back as spaces)"),
        ((Action("a\rb"),), "element 0 (Action): text holds a carriage return"),
        ((BOB, Dialogue("see /* this")), "element 1 (Dialogue): text holds '/*' (opens a bone"),
        ((Note("a\x00"),), "element 0 (Note): text holds a NUL character"),
        ((Centered("\ud800"),), "element 0 (Centered): text holds a lone surrogate"),
        ((Character("BOB", ("V\t",)), Dialogue("x")), "element 0 (Character): text holds a tab"),
        ((SceneHeading("INT. A", "1\r"),), "element 0 (SceneHeading): text holds a carriage"),
        ((BOB, Dialogue("(beat)")), "element 1 (Dialogue): would read back as Parenthetical"),
        (
            (BOB, Dialogue("Hi\n~la")),
            "element 1 (Dialogue): would read back as Dialogue(text='Hi')",
        ),
        ((BOB, Dialogue("  Hi")), "element 1 (Dialogue): would read back as Dialogue("),
        ((BOB, Parenthetical("a\nb")), "element 1 (Parenthetical): would read back as Dialogue"),
        ((Action("Hi \nthere"),), "element 0 (Action): would read back as Action("),
        ((Action("a\n~b"),), "element 0 (Action): would read back as Action("),
        ((Action("a\n   \nb"),), "element 0 (Action): would read back as Action("),
        ((Note("a]]b"),), "element 0 (Note): would read back as Action("),
        ((Note(" a"),), "element 0 (Note): would read back as Note("),
        ((SceneHeading("INT. A\nB"),), "element 0 (SceneHeading): would read back as"),
        ((SceneHeading("...x"),), "element 0 (SceneHeading): would read back as Action("),
        ((SceneHeading(""),), "element 0 (SceneHeading): would read back as Action("),
        ((SceneHeading("INT. A #1#"),), "element 0 (SceneHeading): would read back as Scene"),
        ((SceneHeading("INT. A", "#2"),), "element 0 (SceneHeading): would read back as Scene"),
        ((Transition(""),), "element 0 (Transition): would read back as Action("),
        ((Transition("go <"),), "element 0 (Transition): would read back as Centered("),
        ((Character("BOB (X)"), Dialogue("x")), "element 0 (Character): would read back as"),
        ((Character("BOB ^"), Dialogue("x")), "element 0 (Character): would read back as"),
        ((Character(""), Dialogue("x")), "element 0 (Character): would read back as Action("),
        ((Centered("a\nb"),), "element 0 (Centered): would read back as"),
        ((Lyric(" la"),), "element 0 (Lyric): would read back as Lyric("),
    ],
)
def test_refused(elements: tuple[ScreenplayElement, ...], problem: str) -> None:
    screenplay = Screenplay(elements=elements)
    with pytest.raises(ScreenplayError) as raised:
        write(screenplay)
    assert str(raised.value).startswith(problem)
    assert check(screenplay) == [str(raised.value)]


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ((TitleEntry("Ti:tle", "x"),), "title page entry 0 ('Ti:tle'): would read as 'Ti': 'tle"),
        ((TitleEntry("Title", "a\n\nb"),), "title page entry 0 ('Title'): would read as"),
        ((TitleEntry("Title", "a\n  b"),), "title page entry 0 ('Title'): would read as"),
        ((TitleEntry(" Title", "x"),), "title page entry 0 (' Title'): would read as nothing"),
        ((TitleEntry("Custom", ""),), "title page entry 0 ('Custom'): would read as nothing"),
        ((TitleEntry("Title", "x"), TitleEntry("", "y")), "title page entry 1 (''): would read"),
        ((TitleEntry("Title", "a\tb"),), "title page entry 0 ('Title'): holds a tab"),
    ],
)
def test_title_page_refused(entries: tuple[TitleEntry, ...], problem: str) -> None:
    screenplay = Screenplay(title_page=entries, elements=(Action("x"),))
    with pytest.raises(ScreenplayError) as raised:
        write(screenplay)
    assert str(raised.value).startswith(problem)


def test_check_lists_every_problem_and_write_raises_the_first() -> None:
    screenplay = Screenplay(
        elements=(
            Dialogue("orphan"),
            Action("fine"),
            Action("tab\there"),
            BOB,
            Dialogue("(beat)"),
            Centered("fine"),
        )
    )
    assert check(screenplay) == [
        "element 0 (Dialogue): needs a character cue before it",
        "element 2 (Action): text holds a tab (reads back as spaces)",
        "element 4 (Dialogue): would read back as Parenthetical(text='beat')",
    ]
    with pytest.raises(ScreenplayError, match=r"^element 0 \(Dialogue\): needs a character"):
        write(screenplay)


def test_check_is_empty_for_a_writable_screenplay() -> None:
    assert check(Screenplay(elements=(BOB, Dialogue("Hi.")))) == []
    assert check(Screenplay()) == []


def test_long_texts_are_written() -> None:
    long_line = "word " * 1999 + "end"
    elements = (Action(long_line), BOB, Dialogue(long_line + "\n\n" + long_line))
    assert write(Screenplay(elements=elements)).count("\n") == 6
