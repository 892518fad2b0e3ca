"""The title page: key/value lines at the very start, multi-line indented values."""

from __future__ import annotations

from fountainai.fountain.elements import Action, SceneHeading, TitleEntry, Transition
from fountainai.fountain.parser import parse

BRICK_AND_STEEL = """\
Title:
    _**BRICK & STEEL**_
    _**FULL RETIRED**_
Credit: Written by
Author: Stu Maschwitz
Source: Story by KTM
Draft date: 1/20/2012
Contact:
\tNext Level Productions
\t1588 Mission Dr.
\tSolvang, CA 93463

EXT. BRICK'S PATIO - DAY
"""


def test_spec_title_page() -> None:
    screenplay = parse(BRICK_AND_STEEL)
    assert screenplay.title_page == (
        TitleEntry("Title", "_**BRICK & STEEL**_\n_**FULL RETIRED**_"),
        TitleEntry("Credit", "Written by"),
        TitleEntry("Author", "Stu Maschwitz"),
        TitleEntry("Source", "Story by KTM"),
        TitleEntry("Draft date", "1/20/2012"),
        TitleEntry("Contact", "Next Level Productions\n1588 Mission Dr.\nSolvang, CA 93463"),
    )
    assert [entry.line for entry in screenplay.title_page] == [1, 4, 5, 6, 7, 8]
    assert screenplay.elements == (SceneHeading("EXT. BRICK'S PATIO - DAY"),)
    assert screenplay.elements[0].line == 13
    assert screenplay.title() == "_**BRICK & STEEL**_\n_**FULL RETIRED**_"


def test_a_single_entry_is_a_title_page() -> None:
    assert parse("Draft date: 6/23/2012").title_page == (TitleEntry("Draft date", "6/23/2012"),)


def test_unknown_keys_and_repeats_are_kept_in_order() -> None:
    screenplay = parse("Title: A\nEpisode: 3\nAuthor: X\nAuthor: Y\n\nAction.")
    assert screenplay.title_page == (
        TitleEntry("Title", "A"),
        TitleEntry("Episode", "3"),
        TitleEntry("Author", "X"),
        TitleEntry("Author", "Y"),
    )
    assert screenplay.elements == (Action("Action."),)


def test_inline_value_then_indented_lines() -> None:
    assert parse("Notes: first\n   second\n\tthird").title_page == (
        TitleEntry("Notes", "first\nsecond\nthird"),
    )


def test_a_line_that_is_not_a_key_ends_the_title_page() -> None:
    screenplay = parse("Title: X\nContact:\n    me\nNot a title entry.\nStill: Not a title entry.")
    assert screenplay.title_page == (TitleEntry("Title", "X"), TitleEntry("Contact", "me"))
    assert screenplay.elements == (Action("Not a title entry.\nStill: Not a title entry."),)
    assert screenplay.elements[0].line == 4


def test_title_page_ends_at_the_first_blank_line() -> None:
    screenplay = parse("Title: X\n\nAuthor: Y")
    assert screenplay.title_page == (TitleEntry("Title", "X"),)
    assert screenplay.elements == (Action("Author: Y"),)


def test_only_at_the_start() -> None:
    screenplay = parse("INT. HOUSE\n\nTitle: X")
    assert screenplay.title_page == ()
    assert screenplay.elements == (SceneHeading("INT. HOUSE"), Action("Title: X"))


def test_a_value_keeps_its_colons_and_emphasis() -> None:
    assert parse("Contact: http://example.com 10:30 *me*").title_page == (
        TitleEntry("Contact", "http://example.com 10:30 *me*"),
    )


def test_a_url_is_not_a_key() -> None:
    assert parse("http://example.com\n\nAction.").title_page == ()


def test_decision_title_keys_any_case() -> None:
    """decision: keys are recognised in any case (a known key with an empty value opens a
    title page) and keep their spelling."""
    screenplay = parse("TITLE:\ndraft DATE: 1/2/2024\n\nFADE IN:")
    assert screenplay.title_page == (TitleEntry("TITLE", ""), TitleEntry("draft DATE", "1/2/2024"))
    assert screenplay.title() == ""
    assert parse("title: lower").title() == "lower"


def test_decision_fade_in_first_is_no_title_page() -> None:
    """decision: a first line ``FADE IN:`` (an unknown key, no value, nothing title-like after)
    does not open a title page."""
    screenplay = parse("FADE IN:\n\nINT. HOUSE - DAY")
    assert screenplay.title_page == ()
    assert screenplay.elements == (Action("FADE IN:"), SceneHeading("INT. HOUSE - DAY"))
    assert parse("CUT TO:").elements == (Transition("CUT TO:"),)
    assert parse("FADE IN:\nA dark room.").title_page == ()


def test_decision_heading_with_a_colon_is_not_a_key() -> None:
    """decision: a first line that is a scene heading is never a title key."""
    screenplay = parse("EXT. HOUSE: NIGHT\n\nAction.")
    assert screenplay.title_page == ()
    assert screenplay.elements[0] == SceneHeading("EXT. HOUSE: NIGHT")


def test_decision_unknown_empty_key_opens_when_followed_by_a_value() -> None:
    """decision: an unknown key without a value opens a title page only when a value line or
    another key follows."""
    assert parse("Subtitle:\n    Part two").title_page == (TitleEntry("Subtitle", "Part two"),)
    assert parse("Subtitle:\nAuthor: Me").title_page == (
        TitleEntry("Subtitle", ""),
        TitleEntry("Author", "Me"),
    )


def test_decision_blank_lines_before_the_title_page_are_skipped() -> None:
    """decision: leading blank lines (or a boneyard) do not stop a title page."""
    screenplay = parse("\n\n/* draft 2 */\nTitle: X\n\nAction.")
    assert screenplay.title_page == (TitleEntry("Title", "X"),)
    assert screenplay.title_page[0].line == 4
    assert screenplay.elements[0].line == 6


def test_title_page_only() -> None:
    screenplay = parse("Title: Only\n")
    assert screenplay.title_page == (TitleEntry("Title", "Only"),)
    assert screenplay.elements == ()


def test_crlf_and_bom_title_page() -> None:
    screenplay = parse("\ufeffTitle: X\r\nAuthor:\r\n\tY\r\n\r\nINT. A - DAY\r\n")
    assert screenplay.title_page == (TitleEntry("Title", "X"), TitleEntry("Author", "Y"))
    assert screenplay.elements == (SceneHeading("INT. A - DAY"),)
