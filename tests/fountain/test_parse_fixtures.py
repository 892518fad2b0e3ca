"""Every real Fountain fixture parses; spot checks on a few of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from fountainai.fountain.elements import (
    Action,
    Centered,
    Character,
    Dialogue,
    Note,
    Parenthetical,
    SceneHeading,
    Screenplay,
    TitleEntry,
    Transition,
)
from fountainai.fountain.parser import parse_bytes
from tests.fountain.conftest import FIXTURES, fixture_files

FOUNTAIN_FILES = fixture_files(".fountain")


def load(relative: str) -> Screenplay:
    return parse_bytes((FIXTURES / relative).read_bytes())


def test_fixtures_are_there() -> None:
    assert len(FOUNTAIN_FILES) >= 60


@pytest.mark.parametrize("path", FOUNTAIN_FILES, ids=lambda path: path.name)
def test_every_fixture_parses(path: Path) -> None:
    data = path.read_bytes()
    screenplay = parse_bytes(data)
    assert screenplay.elements or screenplay.title_page
    line_count = data.count(b"\n") + 1
    lines = [element.line for element in screenplay.elements]
    assert all(1 <= line <= line_count for line in lines)
    assert lines == sorted(lines)


def test_scene_numbers() -> None:
    headings = load("nyousefi-Fountain/SceneNumbers.fountain").elements
    assert [(h.text, h.scene_number) for h in headings if isinstance(h, SceneHeading)] == [
        ("INT. HOUSE - DAY", "1"),
        ("INT. HOUSE - DAY", "1A"),
        ("INT. HOUSE - DAY", "1a"),
        ("INT. HOUSE - DAY", "A1"),
        ("INT. HOUSE - DAY", "I-1-A"),
        ("INT. HOUSE - DAY", "1."),
        ("INT. HOUSE - DAY - FLASHBACK (1944)", "110A"),
    ]
    assert [h.line for h in headings] == [1, 3, 5, 7, 9, 11, 13]


def test_bom_and_crlf() -> None:
    screenplay = load("vilcans-screenplain/utf-8-bom.fountain")
    assert screenplay == load("vilcans-screenplain/simple.fountain")
    assert screenplay.elements[0] == SceneHeading("EXT. SOMEWHERE - DAY")
    assert [e.line for e in screenplay.elements[:4]] == [1, 3, 5, 9]


def test_title_page_with_tab_indented_values() -> None:
    screenplay = load("wildwinter-screenplay-tools/TestFDX-FI.fountain")
    assert screenplay.title_page == (
        TitleEntry("Title", "FDX Test Script"),
        TitleEntry("Author", "Ian"),
        TitleEntry("Draft date", "Draft\ninformation"),
        TitleEntry("Copyright", "Copyright (c) 2026"),
        TitleEntry("Contact", "Contact\ninformation"),
    )
    assert screenplay.elements[0] == SceneHeading("INT. RADIO STUDIO", "1")
    assert screenplay.elements[0].line == 12


def test_earthbound_episode() -> None:
    screenplay = load("earthbound19-_ebScreenplays/Cyber_Bob_ep00001.fountain")
    assert screenplay.title().startswith("BOB THE CYBER PAWN")
    assert screenplay.hidden == 1
    assert Transition("FADE IN:", forced=True) in screenplay.elements
    assert screenplay.elements[-2:] == (Transition("FADE OUT:", forced=True), Centered("THE END"))
    notes = [e for e in screenplay.elements if isinstance(e, Note)]
    assert notes[0].text.startswith("archival web URL:")
    assert notes[0].line == 14


def test_earthbound_second_title_block_is_action() -> None:
    """The second ``Title:`` block after the title page's blank line is body text (spec: the
    title page is only at the start and ends at the first blank line)."""
    screenplay = load("earthbound19-_ebScreenplays/Cyber_Bob_ep00003.fountain")
    assert screenplay.title_page[0].value.endswith("EPISODE 1")
    assert screenplay.title_page[-1] == TitleEntry("Draft date", "2016-10-05")
    first = screenplay.elements[0]
    assert isinstance(first, Action)
    assert first.text.startswith("Title:\n    BOB THE CYBER PAWN")
    assert screenplay.elements[-1] == Centered("THE END")


def test_boneyard_spanning_a_scene() -> None:
    screenplay = load("vilcans-screenplain/boneyard.fountain")
    assert screenplay.elements[1:3] == (
        Transition("CUT TO:"),
        SceneHeading("EXT. PALATIAL MANSION - DAY"),
    )
    assert [e.line for e in screenplay.elements] == [1, 3, 20, 22]
    assert screenplay.hidden == 1


def test_character_fixture() -> None:
    elements = load("wildwinter-screenplay-tools/Character.fountain").elements
    cues = [e for e in elements if isinstance(e, Character)]
    assert Character("STEEL", ("V.O.", "CONT\u2019D")) in cues
    assert Character("Han", ("O.S.",), forced=True) in cues
    assert Character("BUT", ("Dual",), dual=True) in cues
    assert Action("Han (O. S.)\nThis shouldn't work.") in elements


def test_dialogue_fixture_line_numbers() -> None:
    elements = load("nyousefi-Fountain/Dialogue.fountain").elements
    assert elements[-3:] == (
        Character("EVE"),
        Parenthetical("feeling cocky"),
        Dialogue("Well, then I'll just indent!"),
    )
    assert [e.line for e in elements[-3:]] == [48, 49, 50]


def test_simple_script() -> None:
    screenplay = load("MasonEgger-fountain-py/simple_script.fountain")
    assert screenplay.title_page[-1] == TitleEntry("Draft Date", "June 14, 2025")
    assert screenplay.elements[:2] == (Action("FADE IN:"), SceneHeading("EXT. PARK - DAY"))
    assert Character("SARAH", ("CONT'D",)) in screenplay.elements
    assert screenplay.elements[-2:] == (Transition("FADE OUT."), Action("THE END"))
    assert screenplay.elements[-1].line == 41
