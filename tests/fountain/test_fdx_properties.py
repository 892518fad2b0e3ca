"""Properties of reading FDX that others wrote: generated documents (any paragraph types,
styles, dual-dialogue groups, page breaks, odd texts) always read, settle after one read
(FDX → model → FDX → model changes nothing), and, for the texts screenwriters type, give a
screenplay Fountain can write."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st

from fountainai.fountain.fdx import read_fdx, write_fdx
from fountainai.fountain.writer import check

BOUNDED = settings(max_examples=200, deadline=None)

_PLAIN_WORDS = ["Bob", "walks", "in.", "(beat)", "(", ")", "é", "x", "—", "...", "!", "?"]
_MARKUP_WORDS = ["*", "**", "_", "\\", "[[a note]]", "CUT", "TO:", "BOOM", "@", ">", "=", "Title:"]
# What Fountain has no way to write (so its writer refuses it): a line starting with "~" (a
# lyric), "/*" (a boneyard), a trailing "#1#" (a scene number), a trailing "<" (centered);
# cue names are drawn from a list (a name holding stray parentheses cannot be a Fountain cue).
# "[[" without "]]" is left out too: inline.markup can turn it into a note (reported).
_UNWRITABLE_WORDS = ["~", "/*", "*/", "#1#", "<", "]]"]
_SEPARATORS = st.sampled_from([" ", " ", " ", "\n", "  ", "\t", "\n\n", "", "\r\n"])
_STYLES = st.sampled_from(["", "", "Bold", "Italic", "Underline", "Bold+Italic", "AllCaps"])
_TYPES = [
    *("Action", "General", "Shot", "Dialogue", "Parenthetical", "Lyrics", "Transition"),
    *("Outline 1", "Outline 3", "Outline Body", "New Act", "Cast List", "Unknown Type"),
]


def _text(words: list[str]) -> st.SearchStrategy[str]:
    pairs = st.lists(st.tuples(st.sampled_from(words), _SEPARATORS), max_size=6)
    return pairs.map(lambda pairs: "".join(word + separator for word, separator in pairs))


def _runs(words: list[str]) -> st.SearchStrategy[str]:
    styled = st.lists(st.tuples(_STYLES, _text(words)), max_size=3)
    return styled.map(
        lambda runs: "".join(f'<Text Style="{style}">{escape(text)}</Text>' for style, text in runs)
    )


def _paragraph(kind: str, body: str, attributes: str = "") -> str:
    return f"<Paragraph Type={quoteattr(kind)}{attributes}>{body}</Paragraph>"


def documents(words: list[str]) -> st.SearchStrategy[bytes]:
    """FDX documents of generated paragraphs whose texts are made of ``words``."""
    heading = st.builds(
        lambda prefix, body, number: _paragraph(
            "Scene Heading", f"<Text>{prefix}</Text>{body}", number
        ),
        st.sampled_from(["INT. ", "EXT. ", "INT./EXT. "]),
        _runs(words),
        st.sampled_from(["", ' Number="1"', ' Number="12A"']),
    )
    cue = st.builds(
        lambda name, extension: _paragraph("Character", f"<Text>{name}{extension}</Text>"),
        st.sampled_from(["BOB", "DR. WHO", "ÉLAN", "McCLANE", "R2D2"]),
        st.sampled_from(["", " (V.O.)", " (O.S.) (CONT'D)"]),
    )
    other = st.builds(_paragraph, st.sampled_from(_TYPES), _runs(words))
    centered = st.builds(
        lambda kind, body: _paragraph(kind, body, ' Alignment="Center"'),
        st.sampled_from(["Action", "General"]),
        _runs(words),
    )
    new_page = st.builds(
        lambda kind, body: _paragraph(kind, body, ' StartsNewPage="Yes"'),
        st.sampled_from(["Action", "Dialogue", "Parenthetical"]),
        _runs(words),
    )
    single = st.one_of(heading, cue, cue, other, other, other, centered, new_page)
    dual = st.lists(single, max_size=4).map(
        lambda paragraphs: (
            f"<Paragraph><DualDialogue>{''.join(paragraphs)}</DualDialogue></Paragraph>"
        )
    )
    return st.lists(st.one_of(single, single, single, dual), max_size=12).map(
        lambda paragraphs: (
            f"<FinalDraft><Content>{''.join(paragraphs)}</Content></FinalDraft>".encode()
        )
    )


@BOUNDED
@given(documents(_PLAIN_WORDS + _MARKUP_WORDS + _UNWRITABLE_WORDS))
def test_any_document_reads_and_settles_after_one_read(data: bytes) -> None:
    screenplay = read_fdx(data)
    assert read_fdx(write_fdx(screenplay)) == screenplay


@BOUNDED
@given(documents(_PLAIN_WORDS + _MARKUP_WORDS))
def test_typed_texts_read_as_a_screenplay_fountain_can_write(data: bytes) -> None:
    assert check(read_fdx(data)) == []
