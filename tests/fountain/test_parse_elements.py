"""Fountain 1.1 rules, one case per spec example (fountain.io/syntax; the B4 list)."""

from __future__ import annotations

import pytest

from fountainai.fountain.elements import (
    Action,
    Centered,
    Character,
    Dialogue,
    Lyric,
    Note,
    PageBreak,
    Parenthetical,
    SceneHeading,
    ScreenplayElement,
    Section,
    Synopsis,
    Transition,
)
from fountainai.fountain.parser import parse

Case = tuple[str, tuple[ScreenplayElement, ...]]


def check(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    screenplay = parse(source)
    assert screenplay.title_page == ()
    assert screenplay.elements == expected


HEADINGS: list[Case] = [
    ("EXT. BRICK'S POOL - DAY", (SceneHeading("EXT. BRICK'S POOL - DAY"),)),
    ("ext. brick's pool - day", (SceneHeading("ext. brick's pool - day"),)),
    ("INT HOUSE - DAY", (SceneHeading("INT HOUSE - DAY"),)),
    ("I/E CAR - DAY", (SceneHeading("I/E CAR - DAY"),)),
    ("INT./EXT. CAR - DAY", (SceneHeading("INT./EXT. CAR - DAY"),)),
    ("INT/EXT CAR - DAY", (SceneHeading("INT/EXT CAR - DAY"),)),
    ("I./E. CAR", (SceneHeading("I./E. CAR"),)),
    ("EST. CITY - NIGHT", (SceneHeading("EST. CITY - NIGHT"),)),
    ("EXT/INT. CAR", (SceneHeading("EXT/INT. CAR"),)),
    ("INTERIOR DESIGN is great.", (Action("INTERIOR DESIGN is great."),)),
    ("ESTABLISHING", (Action("ESTABLISHING"),)),
    (".SNIPER SCOPE POV", (SceneHeading("SNIPER SCOPE POV", forced=True),)),
    (".kitchen", (SceneHeading("kitchen", forced=True),)),
    ("...where the carnival is parked", (Action("...where the carnival is parked"),)),
    (". NOT A HEADER", (Action(". NOT A HEADER"),)),
    ("!INT. HOUSE - DAY", (Action("INT. HOUSE - DAY", forced=True),)),
    ("INT. HOUSE - DAY #1A#", (SceneHeading("INT. HOUSE - DAY", "1A"),)),
    ("INT. HOUSE - DAY #I-1-A#", (SceneHeading("INT. HOUSE - DAY", "I-1-A"),)),
    ("INT. HOUSE - DAY #1.#", (SceneHeading("INT. HOUSE - DAY", "1."),)),
    (
        "INT. HOUSE - DAY - FLASHBACK (1944) #110A#",
        (SceneHeading("INT. HOUSE - DAY - FLASHBACK (1944)", "110A"),),
    ),
    (".FLASHBACK #7#", (SceneHeading("FLASHBACK", "7", forced=True),)),
    ("INT. HOUSE #tag", (SceneHeading("INT. HOUSE #tag"),)),
    ("INT. HOUSE ##", (SceneHeading("INT. HOUSE ##"),)),
    ("    INT. HOUSE - DAY", (SceneHeading("INT. HOUSE - DAY"),)),
]


ACTION: list[Case] = [
    (
        "They drink long and well from the beers.",
        (Action("They drink long and well from the beers."),),
    ),
    (
        "A line.\nAnother line.\n\nA new paragraph.",
        (Action("A line.\nAnother line."), Action("A new paragraph.")),
    ),
    (
        "!SCANNING THE AISLES...\nWhere is that pit boss?",
        (Action("SCANNING THE AISLES...\nWhere is that pit boss?", forced=True),),
    ),
    (
        "SCANNING THE AISLES...\nWhere is that pit boss?",
        (Character("SCANNING THE AISLES..."), Dialogue("Where is that pit boss?")),
    ),
    ("\tScott --\n\t\tJacob Billups", (Action("    Scott --\n        Jacob Billups"),)),
    ("   Three spaces", (Action("   Three spaces"),)),
    ("a\ttab inside", (Action("a    tab inside"),)),
    ("Ten.\n  \nHit or stand?", (Action("Ten.\n\nHit or stand?"),)),
    ("!", (Action("", forced=True),)),
    ("   !BANG", (Action("   BANG", forced=True),)),
    (
        "Punctuation -- stays... \"exactly\" 'as' is",
        (Action("Punctuation -- stays... \"exactly\" 'as' is"),),
    ),
]


CHARACTERS: list[Case] = [
    ("STEEL\nThe man's a myth!", (Character("STEEL"), Dialogue("The man's a myth!"))),
    ("R2D2\nBleep.", (Character("R2D2"), Dialogue("Bleep."))),
    ("23\nNot a name.", (Action("23\nNot a name."),)),
    ("MOM (O. S.)\nLuke!", (Character("MOM", ("O. S.",)), Dialogue("Luke!"))),
    ("HANS (on the radio)\nWhat?", (Character("HANS", ("on the radio",)), Dialogue("What?"))),
    ("STEEL (CONT'D)\nYes.", (Character("STEEL", ("CONT'D",)), Dialogue("Yes."))),
    ("BOB (V.O.) (cont'd)\nHi.", (Character("BOB", ("V.O.", "cont'd")), Dialogue("Hi."))),
    ("BOB (MORE)\nHi.", (Character("BOB", ("MORE",)), Dialogue("Hi."))),
    ("@McCLANE\nYippee ki-yay!", (Character("McCLANE", forced=True), Dialogue("Yippee ki-yay!"))),
    (
        "@Han (O.S.)\nThis should.",
        (Character("Han", ("O.S.",), forced=True), Dialogue("This should.")),
    ),
    ("@ジョン\nこんにちは", (Character("ジョン", forced=True), Dialogue("こんにちは"))),
    ("ジョン\nこんにちは", (Action("ジョン\nこんにちは"),)),
    ("Han (O.S.)\nNo.", (Action("Han (O.S.)\nNo."),)),
    ("BOOM!\n\nThe house shakes.", (Action("BOOM!"), Action("The house shakes."))),
    ("BOOM!", (Action("BOOM!"),)),
    (
        "\t\tEVE\n\t  (feeling cocky)\n\tWell!",
        (Character("EVE"), Parenthetical("feeling cocky"), Dialogue("Well!")),
    ),
    ("BOB (V.O.\nHi.", (Character("BOB (V.O."), Dialogue("Hi."))),
    ("(V.O.)\nHi.", (Action("(V.O.)\nHi."),)),
    ("@\nHi.", (Action("@\nHi."),)),
]


DIALOGUE: list[Case] = [
    (
        "DEALER\nTen.\nFour.\nDealer gets a seven.\n  \nHit or stand sir?",
        (Character("DEALER"), Dialogue("Ten.\nFour.\nDealer gets a seven.\n\nHit or stand sir?")),
    ),
    (
        "DEALER\nTen.\n\nHit or stand sir?",
        (Character("DEALER"), Dialogue("Ten."), Action("Hit or stand sir?")),
    ),
    (
        "STEEL\n(pause)\nNo.\n(beat)\nYes.",
        (
            Character("STEEL"),
            Parenthetical("pause"),
            Dialogue("No."),
            Parenthetical("beat"),
            Dialogue("Yes."),
        ),
    ),
    ("BOB\n  (slowly)  \nHi.", (Character("BOB"), Parenthetical("slowly"), Dialogue("Hi."))),
    ("BOB\nI said (quietly) hi.", (Character("BOB"), Dialogue("I said (quietly) hi."))),
    ("BOB\nThat's great. \n   Really.", (Character("BOB"), Dialogue("That's great.\nReally."))),
    ("BOB\nHey.\n(beat)", (Character("BOB"), Dialogue("Hey."), Parenthetical("beat"))),
    ("BOB\n  \nHi.", (Character("BOB"), Dialogue("\nHi."))),
]


DUAL: list[Case] = [
    (
        "BRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.",
        (
            Character("BRICK"),
            Dialogue("Screw retirement."),
            Character("STEEL", dual=True),
            Dialogue("Screw retirement."),
        ),
    ),
    ("GUY^\nHello!", (Character("GUY", dual=True), Dialogue("Hello!"))),
    ("@Guy ^\nHello!", (Character("Guy", dual=True, forced=True), Dialogue("Hello!"))),
]


LYRICS: list[Case] = [
    ("~Willy Wonka! Willy Wonka!", (Lyric("Willy Wonka! Willy Wonka!"),)),
    (
        "~Willy Wonka! Willy Wonka!\n~ The amazing chocolatier!",
        (Lyric("Willy Wonka! Willy Wonka!\nThe amazing chocolatier!"),),
    ),
    (
        "SINGER\n~These are the songs\n~That I sing.",
        (Character("SINGER"), Lyric("These are the songs\nThat I sing.")),
    ),
    (
        "SINGER\nListen.\n~La la la\n(beat)\nThank you.",
        (
            Character("SINGER"),
            Dialogue("Listen."),
            Lyric("La la la"),
            Parenthetical("beat"),
            Dialogue("Thank you."),
        ),
    ),
    (
        "~ A lyric\nAnd more action.\n~ Another lyric",
        (Lyric("A lyric"), Action("And more action."), Lyric("Another lyric")),
    ),
    ("Some action.\n~ sung", (Action("Some action."), Lyric("sung"))),
]


TRANSITIONS: list[Case] = [
    ("CUT TO:", (Transition("CUT TO:"),)),
    (
        "Action.\n\nCUT TO:\n\nINT. X",
        (Action("Action."), Transition("CUT TO:"), SceneHeading("INT. X")),
    ),
    ("SMASH CUT TO:", (Transition("SMASH CUT TO:"),)),
    ("            CUT TO:", (Transition("CUT TO:"),)),
    ("cut to:", (Action("cut to:"),)),
    ("CUT TO: ", (Action("CUT TO:"),)),
    ("CUT TO:\t", (Action("CUT TO:"),)),
    (".CUT TO:", (SceneHeading("CUT TO:", forced=True),)),
    ("> Burn to White.", (Transition("Burn to White.", forced=True),)),
    (">Another transition", (Transition("Another transition", forced=True),)),
    ("> FADE IN:", (Transition("FADE IN:", forced=True),)),
    ("FADE IN:", (Action("FADE IN:"),)),
    ("FADE OUT.", (Transition("FADE OUT."),)),
    ("FADE TO BLACK.", (Transition("FADE TO BLACK."),)),
    ("CUT TO BLACK.", (Transition("CUT TO BLACK."),)),
    ("Text.\nCUT TO:", (Action("Text.\nCUT TO:"),)),
    ("CUT TO:\nSomeone talks.", (Character("CUT TO:"), Dialogue("Someone talks."))),
    (">", (Action(">"),)),
]


CENTERED: list[Case] = [
    ("> THE END <", (Centered("THE END"),)),
    (">THE END<", (Centered("THE END"),)),
    (">      Lots of Space\t\t<", (Centered("Lots of Space"),)),
    ("> CENTERED BIT <  ", (Centered("CENTERED BIT"),)),
    (">**End of Act One**<", (Centered("**End of Act One**"),)),
    ("    > This isn't a transition<", (Centered("This isn't a transition"),)),
    ("> A <\n> B <", (Centered("A"), Centered("B"))),
]


PAGE_BREAKS: list[Case] = [
    ("===", (PageBreak(),)),
    ("=========", (PageBreak(),)),
    ("Page one.\n\n===\n\nPage two.", (Action("Page one."), PageBreak(), Action("Page two."))),
    ("===\n   ===", (PageBreak(), PageBreak())),
    ("=== ", (PageBreak(),)),
    ("---", (Action("---"),)),
    ("___", (Action("___"),)),
    ("==", (Synopsis("="),)),
    ("=== x", (Synopsis("== x"),)),
]


OUTLINE: list[Case] = [
    ("# Act", (Section("Act"),)),
    ("## Sequence", (Section("Sequence", depth=2),)),
    ("### Scene", (Section("Scene", depth=3),)),
    ("#Act Two", (Section("Act Two"),)),
    ("# 5 ", (Section("5"),)),
    ("= Set up the characters.", (Synopsis("Set up the characters."),)),
    ("=THE FINAL ACT", (Synopsis("THE FINAL ACT"),)),
    (
        "# ACT I\n= Set up the characters.\n\nINT. X\n= The scene.",
        (
            Section("ACT I"),
            Synopsis("Set up the characters."),
            SceneHeading("INT. X"),
            Synopsis("The scene."),
        ),
    ),
]


NOTES: list[Case] = [
    ("[[A note.]]", (Note("A note."),)),
    ("[[This line spans\n  multiple lines.]]", (Note("This line spans\nmultiple lines."),)),
    ("[[Multi\n  \nwith an empty line]]", (Note("Multi\n\nwith an empty line"),)),
    (
        "Before\n\n[[note]]\n\nAfter",
        (Action("Before"), Note("note"), Action("After")),
    ),
    (
        "...DAN and JACK[[Or did we name them?]].",
        (Action("...DAN and JACK[[Or did we name them?]]."),),
    ),
    ("Before\n[[note]]\nAfter", (Action("Before\n[[note]]\nAfter"),)),
    ("[[a]] and text", (Action("[[a]] and text"),)),
    ("[[not closed\n\nhere]]", (Action("[[not closed"), Action("here]]"))),
    ("[[a]]\n[[b]]", (Note("a"), Note("b"))),
    ("JACK\n[[note]]\nHi.", (Character("JACK"), Dialogue("[[note]]\nHi."))),
]


BONEYARD: list[Case] = [
    ("A line.\n\n/* hidden */\n\nB line.", (Action("A line."), Action("B line."))),
    ("This is an /* internal */ boneyard.", (Action("This is an  boneyard."),)),
    ("A\n\n/*\nINT. GARAGE - DAY\n\nBOB\nHi.\n*/\n\nB", (Action("A"), Action("B"))),
    ("He walks. /* hidden\nstill hidden */ She runs.", (Action("He walks.  She runs."),)),
    ("Keep */ this", (Action("Keep */ this"),)),
]


@pytest.mark.parametrize(("source", "expected"), HEADINGS)
def test_scene_headings(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), ACTION)
def test_action(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), CHARACTERS)
def test_character_cues(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), DIALOGUE)
def test_dialogue_and_parentheticals(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), DUAL)
def test_dual_dialogue(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), LYRICS)
def test_lyrics(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), TRANSITIONS)
def test_transitions(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), CENTERED)
def test_centered(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), PAGE_BREAKS)
def test_page_breaks(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), OUTLINE)
def test_sections_and_synopses(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), NOTES)
def test_notes(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


@pytest.mark.parametrize(("source", "expected"), BONEYARD)
def test_boneyard(source: str, expected: tuple[ScreenplayElement, ...]) -> None:
    check(source, expected)


def test_emphasis_and_escapes_stay_in_the_text() -> None:
    source = "BOB\n*Did you know* **\\*9765\\*** _under_?"
    check(source, (Character("BOB"), Dialogue("*Did you know* **\\*9765\\*** _under_?")))


def test_boneyards_are_counted() -> None:
    assert parse("a /* 1 */ b\n\n/* 2\n\n*/\n\n/* 3 */").hidden == 3
    assert parse("no boneyard").hidden == 0
