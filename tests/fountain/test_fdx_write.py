"""Writing FDX: the document structure Final Draft expects and each element's paragraph."""

from __future__ import annotations

from xml.etree.ElementTree import Element, fromstring

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
from fountainai.fountain.fdx import read_fdx, write_fdx
from tests.fountain.conftest import FIXTURES


def _content(*elements: ScreenplayElement) -> Element:
    content = fromstring(write_fdx(Screenplay(elements=elements))).find("Content")
    assert content is not None
    return content


def _shape(paragraph: Element) -> tuple[dict[str, str], list[tuple[str | None, str | None]]]:
    return dict(paragraph.attrib), [(t.get("Style"), t.text) for t in paragraph.iter("Text")]


def _shapes(*elements: ScreenplayElement) -> list[object]:
    return [_shape(paragraph) for paragraph in _content(*elements)]


def test_document_structure() -> None:
    data = write_fdx(Screenplay(elements=(Action("Hi."),)))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n')
    root = fromstring(data)
    assert root.tag == "FinalDraft"
    assert root.attrib == {"DocumentType": "Script", "Template": "No", "Version": "5"}
    assert root[0].tag == "Content"
    settings = [child.get("Type") for child in root if child.tag == "ElementSettings"]
    assert settings[:7] == [
        "General",
        "Scene Heading",
        "Action",
        "Character",
        "Parenthetical",
        "Dialogue",
        "Transition",
    ]
    assert "Lyrics" not in settings
    assert {"Outline 1", "Outline 4", "Outline Body"} <= set(settings)


def test_element_settings_spell_out_fonts_indents_and_behaviour() -> None:
    root = fromstring(write_fdx(Screenplay()))
    dialogue = root.find("ElementSettings[@Type='Dialogue']")
    assert dialogue is not None
    assert [child.tag for child in dialogue] == ["FontSpec", "ParagraphSpec", "Behavior", "Outline"]
    spec = dialogue.find("ParagraphSpec")
    assert spec is not None
    assert (spec.get("LeftIndent"), spec.get("RightIndent")) == ("2.56", "6.25")


def test_standard_element_settings_are_those_of_a_final_draft_export() -> None:
    export = FIXTURES / "wildwinter-screenplay-tools" / "TestFDX-FD.fdx"

    def settings(root: Element) -> dict[str | None, list[tuple[str, dict[str, str]]]]:
        return {
            element.get("Type"): [(child.tag, child.attrib) for child in element]
            for element in root.iterfind("ElementSettings")
        }

    ours = settings(fromstring(write_fdx(Screenplay())))
    assert ours == settings(fromstring(export.read_bytes()))


def test_empty_screenplay_has_empty_content() -> None:
    assert list(_content()) == []


def test_scene_heading_number() -> None:
    assert _shapes(SceneHeading("INT. HOUSE - DAY", "1A"), SceneHeading(".X", forced=True)) == [
        ({"Type": "Scene Heading", "Number": "1A"}, [(None, "INT. HOUSE - DAY")]),
        ({"Type": "Scene Heading"}, [(None, ".X")]),
    ]


def test_markup_becomes_styled_runs() -> None:
    assert _shapes(Action("A **loud** _*soft*_ \\*x [[a *note*]]")) == [
        (
            {"Type": "Action"},
            [
                (None, "A "),
                ("Bold", "loud"),
                (None, " "),
                ("Italic+Underline", "soft"),
                (None, " *x [[a *note*]]"),
            ],
        )
    ]


def test_centered_character_parenthetical_dialogue_transition() -> None:
    shapes = _shapes(
        Centered("THE END"),
        Character("JIM", ("O.S.", "CONT'D")),
        Parenthetical("*beat*"),
        Dialogue("Hi.\n\nBye."),
        Transition("CUT TO:", forced=True),
    )
    assert shapes == [
        ({"Type": "Action", "Alignment": "Center"}, [(None, "THE END")]),
        ({"Type": "Character"}, [(None, "JIM (O.S.) (CONT'D)")]),
        ({"Type": "Parenthetical"}, [(None, "("), ("Italic", "beat"), (None, ")")]),
        ({"Type": "Dialogue"}, [(None, "Hi.\n\nBye.")]),
        ({"Type": "Transition"}, [(None, "CUT TO:")]),
    ]


def test_sections_synopses_and_notes_are_written_as_they_are() -> None:
    assert _shapes(Section("Act *One*", 2), Synopsis("_Set_ up"), Note("Is it\n*right*?")) == [
        ({"Type": "Outline 2"}, [(None, "Act *One*")]),
        ({"Type": "Outline Body"}, [(None, "_Set_ up")]),
        ({"Type": "General"}, [(None, "[[Is it\n*right*?]]")]),
    ]


def test_own_element_types_are_declared() -> None:
    root = fromstring(write_fdx(Screenplay(elements=(Lyric("La"), Section("Deep", 9)))))
    settings = [child.get("Type") for child in root if child.tag == "ElementSettings"]
    assert settings[-2:] == ["Lyrics", "Outline 9"]
    assert [p.get("Type") for p in root.iterfind("Content/Paragraph")] == ["Lyrics", "Outline 9"]


def test_page_break_starts_the_next_paragraph_on_a_new_page() -> None:
    shapes = _shapes(Action("One."), PageBreak(), Action("Two."))
    assert shapes[1] == ({"Type": "Action", "StartsNewPage": "Yes"}, [(None, "Two.")])


def test_page_breaks_with_no_paragraph_of_their_own_stand_as_empty_paragraphs() -> None:
    shapes = _shapes(PageBreak(), PageBreak(), Action("x"), PageBreak())
    assert shapes == [
        ({"Type": "Action", "StartsNewPage": "Yes"}, []),
        ({"Type": "Action", "StartsNewPage": "Yes"}, [(None, "x")]),
        ({"Type": "Action", "StartsNewPage": "Yes"}, []),
    ]


def _wrapped(content: Element) -> list[list[str | None]]:
    """For each top paragraph: the types inside its ``DualDialogue`` (or its own type)."""
    out: list[list[str | None]] = []
    for paragraph in content:
        dual = paragraph.find("DualDialogue")
        if dual is None:
            out.append([paragraph.get("Type")])
        else:
            out.append(["dual", *(inner.get("Type") for inner in dual)])
    return out


def test_dual_dialogue_wraps_both_speeches() -> None:
    content = _content(
        Character("BRICK"),
        Dialogue("Screw retirement."),
        Character("STEEL", dual=True),
        Parenthetical("beat"),
        Dialogue("Screw it."),
        Lyric("La."),
        Action("They go."),
    )
    assert _wrapped(content) == [
        ["dual", "Character", "Dialogue", "Character", "Parenthetical", "Dialogue", "Lyrics"],
        ["Action"],
    ]


def test_lone_and_chained_dual_cues_are_wrapped_alone() -> None:
    content = _content(
        Action("x"),
        Character("A", dual=True),
        Dialogue("1"),
        Character("B", dual=True),
        Dialogue("2"),
        Character("C"),
        Dialogue("3"),
        Character("D", dual=True),
        Dialogue("4"),
        Character("E", dual=True),
        Dialogue("5"),
    )
    assert _wrapped(content) == [
        ["Action"],
        ["dual", "Character", "Dialogue"],
        ["dual", "Character", "Dialogue"],
        ["dual", "Character", "Dialogue", "Character", "Dialogue"],
        ["dual", "Character", "Dialogue"],
    ]


def test_page_break_before_dual_dialogue_is_on_the_wrapper() -> None:
    content = _content(PageBreak(), Character("A"), Dialogue("1"), Character("B", dual=True))
    assert content[0].get("StartsNewPage") == "Yes"
    assert content[0].find("DualDialogue") is not None


@pytest.mark.parametrize("bad", ["\x00", "\x08", "\x0b", "\x1f", "\ufffe", "\ud800"])
def test_characters_xml_cannot_carry_are_dropped(bad: str) -> None:
    screenplay = Screenplay(elements=(Action(f"a{bad}b"), Note(f"n{bad}"), Section(f"s{bad}")))
    assert read_fdx(write_fdx(screenplay)).elements == (Action("ab"), Note("n"), Section("s"))


def test_carriage_returns_become_line_breaks() -> None:
    assert read_fdx(write_fdx(Screenplay(elements=(Action("a\r\nb\rc"),)))).elements == (
        Action("a\nb\nc"),
    )


def test_output_is_pretty_but_text_is_untouched() -> None:
    text = write_fdx(Screenplay(elements=(Action("  two\n  lines  "),))).decode()
    assert '  <Content>\n    <Paragraph Type="Action">\n      <Text>  two\n  lines  </Text>' in text
