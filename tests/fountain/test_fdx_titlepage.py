"""The FDX title page: ``Key: value`` paragraphs both ways, and keys guessed from a Final Draft
layout."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

import pytest

from fountainai.fountain import Action, Screenplay, TitleEntry
from fountainai.fountain.fdx import read_fdx, write_fdx
from tests.fountain.conftest import FIXTURES


def _title_page(*paragraphs: tuple[str, str]) -> bytes:
    """A document whose title page holds ``(alignment, text)`` paragraphs (``""``: empty)."""
    body = "".join(
        f'<Paragraph Alignment="{align}">'
        + (f"<Text>{text}</Text>" if text else "")
        + "</Paragraph>"
        for align, text in paragraphs
    )
    return f"<FinalDraft><TitlePage><Content>{body}</Content></TitlePage></FinalDraft>".encode()


def test_written_as_one_key_value_paragraph_per_entry() -> None:
    screenplay = Screenplay(
        title_page=(
            TitleEntry("Title", "_**BRICK & STEEL**_\nFULL RETIRED"),
            TitleEntry("Draft date", "1/20/2012"),
            TitleEntry("Notes", ""),
        ),
        elements=(Action("Hi."),),
    )
    root = fromstring(write_fdx(screenplay))
    paragraphs = root.findall("TitlePage/Content/Paragraph")
    assert [p.get("Alignment") for p in paragraphs] == ["Center", "Left", "Left"]
    texts = [[(t.get("Style"), t.text) for t in p.iter("Text")] for p in paragraphs]
    assert texts == [
        [(None, "Title: "), ("Bold+Underline", "BRICK & STEEL"), (None, "\nFULL RETIRED")],
        [(None, "Draft date: 1/20/2012")],
        [(None, "Notes:")],
    ]
    assert read_fdx(write_fdx(screenplay)) == screenplay


def test_no_title_page_element_without_entries() -> None:
    assert fromstring(write_fdx(Screenplay(elements=(Action("x"),)))).find("TitlePage") is None


def test_keys_keep_spelling_repeat_and_may_hold_markup_characters() -> None:
    entries = (
        TitleEntry("draft DATE", "soon"),
        TitleEntry("Author", "A"),
        TitleEntry("Author", "B"),
        TitleEntry("Odd_*key*", "x: y"),
        TitleEntry("Empty", ""),
    )
    assert read_fdx(write_fdx(Screenplay(title_page=entries))).title_page == entries


def test_final_draft_title_page_keys_are_guessed_from_the_layout() -> None:
    data = (FIXTURES / "wildwinter-screenplay-tools" / "TestFDX-FD.fdx").read_bytes()
    assert read_fdx(data).title_page == (
        TitleEntry("Title", "_FDX Test Script_"),
        TitleEntry("Credit", "Written by"),
        TitleEntry("Author", "Ian"),
        TitleEntry("Copyright", "Copyright (c) 2026"),
        TitleEntry("Draft date", "Draft\ninformation"),
        TitleEntry("Contact", "Contact\ninformation"),
    )


def test_guessing_joins_title_source_and_contact_lines() -> None:
    data = _title_page(
        ("Center", "THE BIG ONE"),
        ("Center", "Part Two"),
        ("Center", ""),
        ("Center", "Screenplay by"),
        ("Center", "Jane Doe"),
        ("Center", "Based on the novel"),
        ("Center", "by John Roe"),
        ("Left", "Agency Name"),
        ("Left", "  555-1234  "),
        ("Right", "Blue Revision"),
        ("Left", "\u00a9 2026 Jane"),
        ("Left", "March 3, 2026"),
        ("Left", "Title: Keyed line"),
    )
    assert read_fdx(data).title_page == (
        TitleEntry("Title", "THE BIG ONE\nPart Two"),
        TitleEntry("Credit", "Screenplay by"),
        TitleEntry("Author", "Jane Doe"),
        TitleEntry("Source", "Based on the novel\nby John Roe"),
        TitleEntry("Contact", "Agency Name\n555-1234"),
        TitleEntry("Draft date", "Blue Revision"),
        TitleEntry("Copyright", "\u00a9 2026 Jane"),
        TitleEntry("Draft date", "March 3, 2026"),
        TitleEntry("Title", "Keyed line"),
    )


def test_guessing_keeps_an_unknown_key_as_text() -> None:
    data = _title_page(("Center", "Episode 3: The Return"), ("Center", "by"), ("Center", "Me"))
    assert read_fdx(data).title_page == (
        TitleEntry("Title", "Episode 3: The Return"),
        TitleEntry("Credit", "by"),
        TitleEntry("Author", "Me"),
    )


@pytest.mark.parametrize(
    "text",
    ["Title:Tight", " Title: leading space", "Multi\nline key: x", ": no key"],
)
def test_paragraphs_that_do_not_read_key_value_are_guessed(text: str) -> None:
    entries = read_fdx(_title_page(("Center", text))).title_page
    assert [entry.key for entry in entries] == ["Title"]


def test_values_lose_blank_lines_and_outer_spaces() -> None:
    data = _title_page(("Left", "Contact:  \n  Line one  \n\n Line two "))
    assert read_fdx(data).title_page == (TitleEntry("Contact", "Line one\nLine two"),)


def test_title_page_lines_are_xml_lines() -> None:
    data = b"<FinalDraft><TitlePage><Content>\n<Paragraph><Text>Title: A</Text></Paragraph>"
    data += b"\n\n<Paragraph><Text>Author: B</Text></Paragraph></Content></TitlePage></FinalDraft>"
    assert [entry.line for entry in read_fdx(data).title_page] == [2, 4]


def test_title_page_header_and_footer_are_ignored() -> None:
    data = (
        b"<FinalDraft><TitlePage><HeaderAndFooter><Header><Paragraph><Text>.</Text></Paragraph>"
        b"</Header></HeaderAndFooter><Content><Paragraph><Text>Title: A</Text></Paragraph>"
        b"</Content></TitlePage></FinalDraft>"
    )
    assert read_fdx(data).title_page == (TitleEntry("Title", "A"),)
