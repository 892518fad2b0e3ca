"""Reading FDX paragraph by paragraph: each mapping decision of ``fountainai.fountain.fdx``."""

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
    Transition,
)
from fountainai.fountain.fdx import read_fdx


def fdx(*paragraphs: str, extra: str = "") -> bytes:
    """A minimal FDX document whose ``<Content>`` holds ``paragraphs``."""
    body = "\n".join(paragraphs)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
        '<FinalDraft DocumentType="Script" Template="No" Version="5">\n'
        f"<Content>\n{body}\n</Content>\n{extra}</FinalDraft>\n"
    ).encode()


def p(kind: str, *texts: str, **attributes: str) -> str:
    """``<Paragraph Type=kind>`` with one ``<Text>`` per text (``Bold|text`` sets a style)."""
    attrs = "".join(f' {name}="{value}"' for name, value in attributes.items())
    runs = ""
    for text in texts:
        style, _, content = text.rpartition("|")
        runs += f'<Text Style="{style}">{content}</Text>' if style else f"<Text>{content}</Text>"
    return f'<Paragraph Type="{kind}"{attrs}>{runs}</Paragraph>'


def read(*paragraphs: str) -> tuple[ScreenplayElement, ...]:
    return read_fdx(fdx(*paragraphs)).elements


def test_scene_heading_with_number_and_scene_properties() -> None:
    heading = (
        '<Paragraph Number="12A" Type="Scene Heading">'
        '<SceneProperties Length="3/8" Page="1" Title=""><SceneArcBeats>'
        '<CharacterArcBeat Name="DAVE"><Paragraph Alignment="Left"/></CharacterArcBeat>'
        "</SceneArcBeats></SceneProperties><Text>INT. RADIO STUDIO</Text></Paragraph>"
    )
    assert read(heading) == (SceneHeading("INT. RADIO STUDIO", "12A"),)


def test_blank_scene_number_is_none() -> None:
    assert read(p("Scene Heading", "EXT. PARK", Number=" ")) == (SceneHeading("EXT. PARK"),)


def test_runs_are_concatenated_and_line_breaks_kept() -> None:
    assert read(p("Action", "It's a sunny day.\n", "Sunnier than normal.")) == (
        Action("It's a sunny day.\nSunnier than normal."),
    )


def test_styles_become_markup_and_other_styles_are_dropped() -> None:
    paragraph = p("Action", "A ", "Bold|loud", " and ", "Italic+Underline|soft", " ", "AllCaps|x")
    assert read(paragraph) == (Action("A **loud** and _*soft*_ x"),)


def test_literal_markup_characters_are_escaped() -> None:
    assert read(p("Action", "Bold|*9765*")) == (Action("**\\*9765\\***"),)


def test_inline_notes_stay_in_the_text() -> None:
    assert read(p("Action", "Hello [[a *b* note]] ", "Italic|world")) == (
        Action("Hello [[a *b* note]] *world*"),
    )


@pytest.mark.parametrize("kind", ["Action", "General", "Shot", "Cast List", "Mystery Type"])
def test_action_like_types_are_action(kind: str) -> None:
    assert read(p(kind, "ANGLE ON the door.")) == (Action("ANGLE ON the door."),)


def test_action_keeps_indentation_and_blank_lines_and_drops_trailing_space() -> None:
    assert read(p("Action", "\n    Four spaces  \n\tTabbed\n \n")) == (
        Action("\n    Four spaces\n    Tabbed\n\n"),
    )


@pytest.mark.parametrize(
    "paragraph",
    [
        p("Action", "THE END", Alignment="Center"),
        p("General", " THE END ", Alignment="Center"),
        p("New Act", "THE END"),
        p("End of Act", "THE END"),
    ],
)
def test_centered(paragraph: str) -> None:
    assert read(paragraph) == (Centered("THE END"),)


@pytest.mark.parametrize(
    ("cue", "name", "extensions"),
    [
        ("JIM", "JIM", ()),
        ("JIM (O.S.)", "JIM", ("O.S.",)),
        ("JIM (O.S.) (CONT'D)", "JIM", ("O.S.", "CONT'D")),
        ("MOM ( O. S. )", "MOM", ("O. S.",)),
        ("McCLANE (on the radio)", "McCLANE", ("on the radio",)),
        ("BOB (V.O.) JR", "BOB (V.O.) JR", ()),
    ],
)
def test_character_extensions(cue: str, name: str, extensions: tuple[str, ...]) -> None:
    assert read(p("Character", cue), p("Dialogue", "Hi."))[0] == Character(name, extensions)


def test_cue_all_in_parentheses_is_a_parenthetical() -> None:
    elements = read(p("Character", "BOB"), p("Character", "(beat)"), p("Dialogue", "Hi."))
    assert elements == (Character("BOB"), Parenthetical("beat"), Dialogue("Hi."))
    assert read(p("Character", "(V.O.)")) == (Action("(V.O.)"),)


def test_parenthetical_loses_its_parentheses() -> None:
    assert read(p("Character", "BOB"), p("Parenthetical", " (", "Italic|quietly", ") "))[1:] == (
        Parenthetical("*quietly*"),
    )


def test_parenthetical_without_parentheses_is_kept() -> None:
    assert read(p("Character", "BOB"), p("Parenthetical", "beat"))[1:] == (Parenthetical("beat"),)


def test_consecutive_dialogue_paragraphs_are_one_speech() -> None:
    elements = read(
        p("Character", "DEALER"),
        p("Dialogue", "Dealer gets a seven."),
        p("Dialogue"),
        p("Dialogue", "  Hit or stand sir?  "),
        p("Dialogue"),
    )
    assert elements == (Character("DEALER"), Dialogue("Dealer gets a seven.\n\nHit or stand sir?"))


def test_dialogue_split_by_an_empty_paragraph_is_still_one() -> None:
    elements = read(p("Character", "A"), p("Dialogue", "One."), p("Action"), p("Dialogue", "Two."))
    assert elements == (Character("A"), Dialogue("One.\nTwo."))


def test_dialogue_line_in_parentheses_is_a_parenthetical() -> None:
    elements = read(p("Character", "A"), p("Dialogue", "Well.\n(beat)\nNo.\n()"))
    assert elements == (Character("A"), Dialogue("Well."), Parenthetical("beat"), Dialogue("No."))


def test_dialogue_and_parenthetical_without_a_cue_are_action() -> None:
    elements = read(p("Action", "Rain."), p("Parenthetical", "(beat)"), p("Dialogue", "Hi."))
    assert elements == (Action("Rain."), Action("(beat)"), Action("Hi."))


def test_cue_with_nothing_to_say_stays_a_cue() -> None:
    elements = read(p("Character", "BOB (V.O.)"), p("Action", "Silence."))
    assert elements == (Character("BOB", ("V.O.",)), Action("Silence."))


def test_empty_parenthetical_is_kept() -> None:
    assert read(p("Character", "A"), p("Parenthetical", "( )"))[1:] == (Parenthetical(""),)


def test_transition() -> None:
    assert read(p("Transition", "CUT TO:")) == (Transition("CUT TO:"),)


def test_lyrics_stay_separate_and_may_be_empty() -> None:
    elements = read(
        p("Character", "SINGER"), p("Lyrics", "La la\n la"), p("Lyrics"), p("Lyric", "Oh")
    )
    assert elements == (Character("SINGER"), Lyric("La la\nla"), Lyric(""), Lyric("Oh"))


def test_outline_elements_are_sections_and_synopses() -> None:
    elements = read(
        p("Outline 1", "Act ", "Bold|One"),
        p("Outline 7", "Deep"),
        p("Outline Body", "Set *up*."),
        p("Outline 0", "Not an outline"),
    )
    assert elements == (
        Section("Act One", 1),
        Section("Deep", 7),
        Synopsis("Set *up*."),
        Action("Not an outline"),
    )


@pytest.mark.parametrize("kind", ["General", "Action"])
def test_paragraph_that_is_one_note_is_a_note(kind: str) -> None:
    assert read(p(kind, " [[Is *this* right?", "Bold|\nYes.]] ")) == (
        Note("Is *this* right?\nYes."),
    )


def test_two_notes_in_one_paragraph_stay_action() -> None:
    assert read(p("General", "[[a]] [[b]]")) == (Action("[[a]] [[b]]"),)


def test_empty_paragraphs_are_skipped() -> None:
    elements = read(
        p("Action"),
        p("Action", " "),
        p("Scene Heading", "  "),
        p("Character"),
        p("Transition", "\n"),
        p("Outline 1"),
        p("Outline Body", ""),
        p("Action", "", Alignment="Center"),
        p("Action", "x"),
    )
    assert elements == (Action("x"),)


def test_page_breaks() -> None:
    elements = read(
        p("Action", "One.", StartsNewPage="No"),
        p("Action", "Two.", StartsNewPage="Yes"),
        p("Action", StartsNewPage="Yes"),
    )
    assert elements == (Action("One."), PageBreak(), Action("Two."), PageBreak())


def test_one_line_elements_join_their_lines() -> None:
    assert read(p("Scene Heading", "INT. HOUSE\n - DAY\t")) == (SceneHeading("INT. HOUSE - DAY"),)


def test_nothing_read_is_forced() -> None:
    elements = read(
        p("Scene Heading", "SNIPER SCOPE POV"),
        p("Action", "BANG\nBANG"),
        p("Character", "McDUCK"),
        p("Dialogue", "Quack."),
        p("Transition", "Burn to white."),
    )
    assert all(not getattr(element, "forced", False) for element in elements)


def _dual(*paragraphs: str, new_page: bool = False) -> str:
    attribute = ' StartsNewPage="Yes"' if new_page else ""
    return f"<Paragraph{attribute}><DualDialogue>{''.join(paragraphs)}</DualDialogue></Paragraph>"


def test_dual_dialogue_flags_the_second_cue() -> None:
    elements = read(
        _dual(
            p("Character", "GIRL"),
            p("Dialogue", "Hey!"),
            p("Character", "GUY"),
            p("Dialogue", "Hi!"),
        )
    )
    assert elements == (
        Character("GIRL"),
        Dialogue("Hey!"),
        Character("GUY", dual=True),
        Dialogue("Hi!"),
    )


def test_dual_dialogue_with_one_speech_is_dual() -> None:
    elements = read(
        p("Action", "x"), _dual(p("Character", "GUY"), p("Dialogue", "Hi!"), new_page=True)
    )
    assert elements == (Action("x"), PageBreak(), Character("GUY", dual=True), Dialogue("Hi!"))


def test_dual_dialogue_with_three_speeches_flags_all_but_the_first() -> None:
    speeches = [p("Character", name) + p("Dialogue", "Yes.") for name in ("A", "B", "C")]
    cues = [e for e in read(_dual(*speeches)) if isinstance(e, Character)]
    assert [cue.dual for cue in cues] == [False, True, True]


def test_dialogue_right_after_a_dual_group_goes_on_with_its_last_speech() -> None:
    # In the flat model (and in Fountain) two dialogues in a row are one speech.
    elements = read(_dual(p("Character", "A"), p("Dialogue", "One.")), p("Dialogue", "Two."))
    assert elements == (Character("A", dual=True), Dialogue("One.\nTwo."))


def test_application_settings_are_ignored() -> None:
    settings = (
        '<ElementSettings Type="Action"><FontSpec Style=""/></ElementSettings>'
        '<HeaderAndFooter><Header><Paragraph Type="Action"><Text>.</Text></Paragraph></Header>'
        "</HeaderAndFooter><SmartType><Characters><Character>DAVE</Character></Characters>"
        '</SmartType><WindowState Height="1"/><PageLayout/><ScriptNotes/>'
    )
    assert read_fdx(fdx(p("Action", "Only this."), extra=settings)).elements == (
        Action("Only this."),
    )


def test_document_without_content_is_empty() -> None:
    assert read_fdx(b'<FinalDraft DocumentType="Script"/>') == Screenplay()


def test_lines_are_xml_lines() -> None:
    elements = read_fdx(fdx(p("Action", "One."), p("Action", "Two."))).elements
    assert [element.line for element in elements] == [4, 5]
