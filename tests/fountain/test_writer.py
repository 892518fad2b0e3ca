"""The Fountain writer, element by element: the exact text, and that it reads back the same."""

from __future__ import annotations

import pytest

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
from fountainai.fountain.parser import parse
from fountainai.fountain.writer import write


def _write(*elements: ScreenplayElement) -> str:
    return write(Screenplay(elements=elements))


def _reads_back(text: str, *elements: ScreenplayElement) -> None:
    assert parse(text).elements == elements


def test_empty_screenplay_is_empty_text() -> None:
    assert write(Screenplay()) == ""


def test_title_page() -> None:
    screenplay = Screenplay(
        title_page=(
            TitleEntry("Title", "_**BRICK & STEEL**_\nFULL RETIRED"),
            TitleEntry("Draft date", "1/20/2012"),
            TitleEntry("Notes", ""),
        ),
        elements=(Action("Hello."),),
    )
    text = write(screenplay)
    assert text == (
        "Title:\n   _**BRICK & STEEL**_\n   FULL RETIRED\nDraft date: 1/20/2012\nNotes:\n\nHello.\n"
    )
    assert parse(text) == screenplay


def test_title_page_alone() -> None:
    screenplay = Screenplay(title_page=(TitleEntry("Title", "Alone"),))
    assert write(screenplay) == "Title: Alone\n"
    assert parse(write(screenplay)) == screenplay


def test_blocks_are_separated_by_one_blank_line() -> None:
    elements = (
        SceneHeading("INT. HOUSE - DAY"),
        Action("Bob walks in."),
        Transition("CUT TO:"),
        PageBreak(),
        Centered("THE END"),
    )
    text = _write(*elements)
    assert text == "INT. HOUSE - DAY\n\nBob walks in.\n\nCUT TO:\n\n===\n\n> THE END <\n"
    _reads_back(text, *elements)


def test_scene_number() -> None:
    element = SceneHeading("INT. HOUSE - DAY", scene_number="1A")
    assert _write(element) == "INT. HOUSE - DAY #1A#\n"
    _reads_back(_write(element), element)


def test_dialogue_block_has_no_blank_lines() -> None:
    elements = (
        Character("STEEL", extensions=("V.O.", "CONT'D")),
        Parenthetical("pause"),
        Dialogue("No.\nReally."),
        Parenthetical("beat"),
        Dialogue("Yes."),
        Lyric("la la"),
    )
    text = _write(*elements)
    assert text == "STEEL (V.O.) (CONT'D)\n(pause)\nNo.\nReally.\n(beat)\nYes.\n~la la\n"
    _reads_back(text, *elements)


def test_dual_dialogue_marks_the_second_cue() -> None:
    elements = (
        Character("BRICK"),
        Dialogue("Screw retirement."),
        Character("STEEL", dual=True),
        Dialogue("Screw retirement."),
    )
    text = _write(*elements)
    assert text == "BRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n"
    _reads_back(text, *elements)


def test_blank_line_in_dialogue_is_two_spaces() -> None:
    elements = (Character("DEALER"), Dialogue("Ten.\n\nHit or stand sir?"))
    text = _write(*elements)
    assert text == "DEALER\nTen.\n  \nHit or stand sir?\n"
    _reads_back(text, *elements)


def test_outline_elements() -> None:
    elements = (Section("Act One"), Section("Scene", depth=3), Synopsis("Set up."), Note("a\nb"))
    text = _write(*elements)
    assert text == "# Act One\n\n### Scene\n\n= Set up.\n\n[[a\nb]]\n"
    _reads_back(text, *elements)


def test_standalone_lyric_and_multi_line_lyric() -> None:
    elements = (Action("Music."), Lyric("These are the songs\nThat I sing."))
    text = _write(*elements)
    assert text == "Music.\n\n~These are the songs\n~That I sing.\n"
    _reads_back(text, *elements)


def test_action_keeps_indentation_and_markup() -> None:
    element = Action("  *Slowly*, he **turns**.\n    Then _stops_ \\*here\\*.")
    text = _write(element)
    assert text == "  *Slowly*, he **turns**.\n    Then _stops_ \\*here\\*.\n"
    _reads_back(text, element)


@pytest.mark.parametrize(
    "text",
    [
        "BOB\nHello",  # a cue and its dialogue
        "INT. HOUSE - DAY",  # a heading
        "ext. house",  # a heading, any case
        "CUT TO:",  # a transition
        "> THE END <",  # centered
        ">Burn",  # forced transition
        "===",  # page break
        "# Act",  # section
        "= Synopsis",  # synopsis
        "[[note]]",  # note
        "~la",  # lyric
        "!bang",  # forced action marker
        "@bob",  # forced cue marker
        ".SNIPER SCOPE POV",  # forced heading
        "  BOB\nHello",  # an indented cue
    ],
)
def test_action_that_reads_as_something_else_is_forced(text: str) -> None:
    written = _write(Action(text))
    assert written == "!" + text + "\n"
    _reads_back(written, Action(text, forced=True))


@pytest.mark.parametrize(
    "text", ["BOOM!", "Bob\nHello", "INTERIOR DESIGN is great.", "...where it is", "R2 (23)"]
)
def test_plain_action_is_not_forced(text: str) -> None:
    written = _write(Action(text))
    assert written == text + "\n"
    _reads_back(written, Action(text))


def test_forced_flag_is_kept() -> None:
    elements = (
        SceneHeading("SNIPER SCOPE POV", forced=True),
        Action("Plain.", forced=True),
        Character("BOB", forced=True),
        Dialogue("Hi."),
        Transition("CUT TO:", forced=True),
    )
    text = _write(*elements)
    assert text == ".SNIPER SCOPE POV\n\n!Plain.\n\n@BOB\nHi.\n\n> CUT TO:\n"
    _reads_back(text, *elements)


@pytest.mark.parametrize(
    ("name", "line"),
    [("McCLANE", "@McCLANE"), ("23", "@23"), ("李", "@李"), ("INT. BOB", "@INT. BOB")],
)
def test_cue_that_is_not_all_caps_is_forced(name: str, line: str) -> None:
    elements = (Character(name), Dialogue("Yippee."))
    text = _write(*elements)
    assert text == f"{line}\nYippee.\n"
    _reads_back(text, Character(name, forced=True), Dialogue("Yippee."))


def test_heading_that_does_not_look_like_one_is_forced() -> None:
    element = SceneHeading("KITCHEN")
    assert _write(element) == ".KITCHEN\n"
    _reads_back(_write(element), SceneHeading("KITCHEN", forced=True))


@pytest.mark.parametrize("text", ["Burn to White.", "FADE IN:", "cut to:"])
def test_transition_that_does_not_look_like_one_is_forced(text: str) -> None:
    element = Transition(text)
    assert _write(element) == f"> {text}\n"
    _reads_back(_write(element), Transition(text, forced=True))


def test_empty_action_and_blank_lines_at_its_ends() -> None:
    elements = (Action(""), Action("\n  Indented\n"), Action("a\n\n\nb"))
    text = _write(*elements)
    assert text == "!\n\n!\n  Indented\n  \n\na\n  \n  \nb\n"
    _reads_back(text, Action("", forced=True), Action("\n  Indented\n", forced=True), elements[2])


def test_cue_without_dialogue_is_forced() -> None:
    elements = (Character("BOB"), Action("He leaves."))
    text = _write(*elements)
    assert text == "@BOB\n\nHe leaves.\n"
    _reads_back(text, Character("BOB", forced=True), Action("He leaves."))


def test_empty_dialogue_and_blank_lines_at_its_ends() -> None:
    elements = (Character("BOB"), Dialogue(""), Parenthetical(""), Dialogue("\nHi\n"))
    text = _write(*elements)
    assert text == "BOB\n  \n()\n  \nHi\n  \n"
    _reads_back(text, *elements)


def test_second_lyric_in_a_row_leaves_the_block() -> None:
    elements = (Character("BOB"), Lyric("la"), Lyric("da"), Action("Applause."))
    text = _write(*elements)
    assert text == "BOB\n~la\n\n~da\n\nApplause.\n"
    _reads_back(text, *elements)


def test_lyric_then_dialogue_stays_in_the_block() -> None:
    elements = (Character("BOB"), Lyric("la\n\nda"), Dialogue("Thanks."), Lyric(""))
    text = _write(*elements)
    assert text == "BOB\n~la\n~\n~da\nThanks.\n~\n"
    _reads_back(text, *elements)


def test_first_paragraph_that_looks_like_a_title_page_is_forced() -> None:
    assert _write(Action("Note: hello")) == "!Note: hello\n"
    assert _write(Character("DR: WHO"), Dialogue("Hi.")) == "@DR: WHO\nHi.\n"
    # Further down, the same texts are not a title page.
    elements = (Action("Hello."), Action("Note: hello"), Character("DR: WHO"), Dialogue("Hi."))
    text = _write(*elements)
    assert text == "Hello.\n\nNote: hello\n\nDR: WHO\nHi.\n"
    _reads_back(text, *elements)


def test_title_value_that_looks_like_a_url_goes_on_its_own_line() -> None:
    screenplay = Screenplay(title_page=(TitleEntry("Contact", "//example.org"),))
    assert write(screenplay) == "Contact:\n   //example.org\n"
    assert parse(write(screenplay)) == screenplay


def test_empty_outline_texts() -> None:
    elements = (Section("", depth=2), Synopsis(""), Note(""), Centered(""))
    text = _write(*elements)
    assert text == "##\n\n=\n\n[[]]\n\n>  <\n"
    _reads_back(text, *elements)


def test_note_with_an_empty_line_keeps_its_paragraph() -> None:
    element = Note("first\n\nsecond")
    assert _write(element) == "[[first\n  \nsecond]]\n"
    _reads_back(_write(element), element)


def test_markers_inside_dialogue_need_no_forcing() -> None:
    elements = (Character("BOB"), Dialogue("INT. HOUSE\n===\n# no\n!yes\n[[aside]]\nCUT TO:"))
    text = _write(*elements)
    assert text == "BOB\nINT. HOUSE\n===\n# no\n!yes\n[[aside]]\nCUT TO:\n"
    _reads_back(text, *elements)
