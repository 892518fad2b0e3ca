"""Where the spec is ambiguous: each choice the parser makes, pinned (see ``parser``'s
docstring)."""

from __future__ import annotations

from fountainai.fountain.elements import (
    Action,
    Character,
    Dialogue,
    Lyric,
    Note,
    SceneHeading,
    Section,
    Transition,
)
from fountainai.fountain.parser import parse


def test_decision_heading_needs_no_blank_line_after() -> None:
    """decision: ``INT. HOUSE - DAY⏎Bob walks.`` is a heading then action (writer intent), not
    a cue with dialogue."""
    assert parse("INT. HOUSE - DAY\nBob walks.").elements == (
        SceneHeading("INT. HOUSE - DAY"),
        Action("Bob walks."),
    )


def test_decision_line_after_a_heading_starts_afresh() -> None:
    """decision: the line after a heading is read as if a blank line preceded it."""
    assert parse("INT. HOUSE - DAY\nBOB\nHi.").elements == (
        SceneHeading("INT. HOUSE - DAY"),
        Character("BOB"),
        Dialogue("Hi."),
    )
    assert parse("INT. HOUSE - DAY\nEXT. HOUSE - DAY").elements == (
        SceneHeading("INT. HOUSE - DAY"),
        SceneHeading("EXT. HOUSE - DAY"),
    )


def test_decision_heading_needs_a_blank_line_before() -> None:
    """decision: inside a paragraph a heading-shaped line is text."""
    assert parse("He drives off.\nEXT. ROAD - DAY").elements == (
        Action("He drives off.\nEXT. ROAD - DAY"),
    )


def test_decision_first_line_counts_as_after_a_blank_line() -> None:
    """decision: the first line may be a heading or a cue."""
    assert parse("BOB\nHi.").elements == (Character("BOB"), Dialogue("Hi."))
    assert parse("INT. X - DAY").elements == (SceneHeading("INT. X - DAY"),)


def test_decision_transition_directly_followed_by_a_heading() -> None:
    """decision: ``CUT TO:⏎INT. X`` is a transition and a heading."""
    assert parse("CUT TO:\nINT. GARAGE - DAY").elements == (
        Transition("CUT TO:"),
        SceneHeading("INT. GARAGE - DAY"),
    )
    assert parse("CUT TO:\n.FORCED").elements == (
        Transition("CUT TO:"),
        SceneHeading("FORCED", forced=True),
    )


def test_decision_character_with_trailing_spaces() -> None:
    """decision: trailing spaces do not stop a cue."""
    assert parse("ME   \nShould work").elements == (Character("ME"), Dialogue("Should work"))


def test_decision_trailing_whitespace_only_matters_for_transitions() -> None:
    """decision: trailing whitespace makes ``CUT TO:`` action (spec) and is dropped from every
    element's text; a heading or page break keeps its meaning."""
    assert parse("CUT TO:  \n\nINT. X  \n\n===  \n\nText.   \nMore.\t").elements[:2] == (
        Action("CUT TO:"),
        SceneHeading("INT. X"),
    )
    assert parse("Text.   \nMore.\t").elements == (Action("Text.\nMore."),)


def test_decision_only_exactly_two_spaces_join() -> None:
    """decision: a line of exactly two spaces keeps a paragraph going; any other
    whitespace-only line is blank."""
    assert parse("BOB\nOne.\n  \nTwo.").elements == (Character("BOB"), Dialogue("One.\n\nTwo."))
    assert parse("BOB\nOne.\n   \nTwo.").elements == (
        Character("BOB"),
        Dialogue("One."),
        Action("Two."),
    )
    assert parse("BOB\nOne.\n\t\nTwo.").elements[-1] == Action("Two.")


def test_decision_dual_cue_with_extension() -> None:
    """decision: ``JOHN (O.S.) ^`` is name, extension and dual."""
    assert parse("JOHN (O.S.) ^\nHi.").elements == (
        Character("JOHN", ("O.S.",), dual=True),
        Dialogue("Hi."),
    )


def test_decision_contd_and_more_are_extensions() -> None:
    """decision: ``(CONT'D)`` and ``(MORE)`` are extensions, not part of the name."""
    assert parse("STEEL (V.O.) (CONT'D)\nYes.").elements[0] == Character(
        "STEEL", ("V.O.", "CONT'D")
    )
    assert parse("STEEL (MORE)\nYes.").elements[0] == Character("STEEL", ("MORE",))


def test_decision_a_name_needs_a_letter_not_a_first_letter() -> None:
    """decision: ``3CPO`` is a cue (it holds a letter, as the spec asks); ``23`` is not."""
    assert parse("3CPO\nBeep.").elements == (Character("3CPO"), Dialogue("Beep."))
    assert parse("23\nBeep.").elements == (Action("23\nBeep."),)


def test_decision_caret_not_at_the_end_is_part_of_the_name() -> None:
    """decision: ``^`` only marks dual dialogue as the cue's last character."""
    assert parse("AND ^ (Dual)\nHm.").elements[0] == Character("AND ^", ("Dual",))


def test_decision_lyrics_anywhere() -> None:
    """decision: a ``~`` line is a lyric wherever it stands; in a dialogue block the block goes
    on after it, in action it splits the action."""
    assert parse("SINGER\n~La\nSpoken.").elements == (
        Character("SINGER"),
        Lyric("La"),
        Dialogue("Spoken."),
    )
    assert parse("Walks.\n~La\nStops.").elements == (
        Action("Walks."),
        Lyric("La"),
        Action("Stops."),
    )


def test_decision_standalone_note_ends_itself() -> None:
    """decision: after a standalone note the next line starts afresh (notes are invisible)."""
    assert parse("[[check this]]\nBOB\nHi.").elements == (
        Note("check this"),
        Character("BOB"),
        Dialogue("Hi."),
    )


def test_decision_unclosed_boneyard_hides_to_the_end() -> None:
    """decision: an unclosed ``/*`` hides everything after it and counts as one passage."""
    screenplay = parse("Shown.\n\n/* hidden\n\nINT. X\n\nalso hidden")
    assert screenplay.elements == (Action("Shown."),)
    assert screenplay.hidden == 1
    assert parse("a /* b").elements == (Action("a"),)


def test_decision_boneyard_removes_exactly_its_characters() -> None:
    """decision: the text around a boneyard is kept as it stands, line breaks included."""
    assert parse("He walks. /*\ncut\n*/\nShe runs.").elements == (Action("He walks.\nShe runs."),)
    assert parse("BOB\nLine one.\n/* cut line */\nLine two.").elements == (
        Character("BOB"),
        Dialogue("Line one."),
        Action("Line two."),
    )


def test_decision_markers_need_a_paragraph_start() -> None:
    """decision: ``===``, ``#``, ``=``, ``>``, ``!``, ``@`` only mean something at the start of a
    paragraph; inside one they are text."""
    source = "Action.\n===\n# not a section\n> not a transition\n!bang"
    assert parse(source).elements == (Action(source),)


def test_decision_markers_ignore_indentation() -> None:
    """decision: leading whitespace before a marker is ignored (indentation has no meaning)."""
    assert parse("   # Act\n\n   = Synopsis").elements[0] == Section("Act")
