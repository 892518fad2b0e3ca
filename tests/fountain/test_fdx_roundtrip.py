"""FDX against the fixtures and the model: every FDX fixture reads (and can be saved as
Fountain), reads like its Fountain twin, and survives FDX → model → FDX; every Fountain fixture
and every screenplay Fountain can write survives model → FDX → model.

"Survives" means equal after two documented normalisations: ``forced`` flags are Fountain
syntax that FDX has no place for (read as ``False``), and element text comes back in the
canonical inline markup of its styled runs (``_*x*_`` for ``*_x_*``, escapes only where
needed), since FDX stores the runs, not the markup.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest
from hypothesis import example, given, settings

from fountainai.fountain import (
    Action,
    Centered,
    Dialogue,
    Lyric,
    Note,
    Parenthetical,
    SceneHeading,
    Screenplay,
    ScreenplayElement,
    Section,
    Synopsis,
    TitleEntry,
    Transition,
)
from fountainai.fountain.fdx import read_fdx, write_fdx
from fountainai.fountain.fdx.body import ONE_NOTE
from fountainai.fountain.fdx.runs import runs_markup, text_runs
from fountainai.fountain.inline import plain_text
from fountainai.fountain.parser import parse
from fountainai.fountain.writer import check
from tests.fountain.conftest import FIXTURES, fixture_files
from tests.fountain.strategies import any_screenplays, unforced, writable_screenplays

_MARKUP_TEXT = (SceneHeading, Action, Centered, Parenthetical, Dialogue, Lyric, Transition)
_DROPPED_WHEN_EMPTY = (Action, Centered, Section, Synopsis, SceneHeading, Transition, Dialogue)


def canonical(screenplay: Screenplay) -> Screenplay:
    """``screenplay`` as FDX carries it: ``forced`` off, texts in canonical markup."""
    elements: list[ScreenplayElement] = []
    for element in unforced(screenplay.elements):
        if isinstance(element, _MARKUP_TEXT):
            text = runs_markup(text_runs(element.text))
            note = ONE_NOTE.fullmatch(text.strip()) if isinstance(element, Action) else None
            if note:  # an action that is one note: only forcing tells them apart, FDX has none
                elements.append(Note(note.group(1), line=element.line))
            else:
                elements.append(replace(element, text=text))
        else:
            elements.append(element)
    entries = tuple(
        TitleEntry(entry.key, runs_markup(text_runs(entry.value)))
        for entry in screenplay.title_page
    )
    return Screenplay(entries, tuple(elements))


def _fdx_id(path: Path) -> str:
    return str(path.relative_to(FIXTURES))


@pytest.mark.parametrize("path", fixture_files(".fdx"), ids=_fdx_id)
def test_every_fdx_fixture_reads_and_can_be_saved_as_fountain(path: Path) -> None:
    screenplay = read_fdx(path.read_bytes())
    assert screenplay.elements
    assert check(screenplay) == []


@pytest.mark.parametrize("path", fixture_files(".fdx"), ids=_fdx_id)
def test_fdx_to_model_to_fdx_keeps_the_model(path: Path) -> None:
    screenplay = read_fdx(path.read_bytes())
    assert read_fdx(write_fdx(screenplay)) == screenplay


def _twins() -> list[Path]:
    twins = [path for path in fixture_files(".fdx") if path.with_suffix(".fountain").exists()]
    assert len(twins) == 11  # the vilcans pairs and wildwinter FD/FI
    return twins


@pytest.mark.parametrize("path", _twins(), ids=_fdx_id)
def test_fdx_reads_like_its_fountain_twin(path: Path) -> None:
    """Known difference: FDX has no forcing (``!THIS IS FORCED ACTION``, ``> FADE TO BLACK``
    are forced in the twins). Everything else agrees: kinds, texts, scene numbers,
    extensions, dual flags, indentation, merged dialogue lines."""
    from_fdx = read_fdx(path.read_bytes())
    twin = parse(path.with_suffix(".fountain").read_text(encoding="utf-8"))
    assert unforced(from_fdx.elements) == unforced(twin.elements)


def test_final_draft_and_fade_in_title_pages_against_the_twin() -> None:
    """Known differences: the FD twin has no title page at all; the Fade In twin lists the
    entries in another order, has no ``Credit: Written by``, and its title is not
    underlined. Keys guessed from the layout otherwise agree."""
    folder = FIXTURES / "wildwinter-screenplay-tools"
    assert parse((folder / "TestFDX-FD.fountain").read_text(encoding="utf-8")).title_page == ()
    fade_in = read_fdx((folder / "TestFDX-FI.fdx").read_bytes()).title_page
    twin = parse((folder / "TestFDX-FI.fountain").read_text(encoding="utf-8")).title_page
    guessed = {(e.key, plain_text(e.value)) for e in fade_in} - {("Credit", "Written by")}
    assert guessed == {(entry.key, entry.value) for entry in twin}


@pytest.mark.parametrize("path", fixture_files(".fountain"), ids=_fdx_id)
def test_every_fountain_fixture_survives_fdx(path: Path) -> None:
    screenplay = parse(path.read_text(encoding="utf-8"))
    back = read_fdx(write_fdx(screenplay))
    assert back == canonical(screenplay)
    for before, after in zip(screenplay.elements, back.elements, strict=True):
        if isinstance(before, _MARKUP_TEXT):
            assert isinstance(after, _MARKUP_TEXT)
            assert plain_text(after.text) == plain_text(before.text)


def test_canonical_markup_is_the_only_text_change_in_the_fixtures() -> None:
    """Which fixture texts FDX rewrites: only the two of ``Formatted.fountain`` whose markup
    has a canonical spelling different from the one written."""
    changed = []
    for path in fixture_files(".fountain"):
        screenplay = parse(path.read_text(encoding="utf-8"))
        for element in screenplay.elements:
            if not isinstance(element, _MARKUP_TEXT):
                continue
            if runs_markup(text_runs(element.text)) != element.text:
                changed.append((path.name, element.text))
    assert changed == [
        (
            "Formatted.fountain",
            "From what seems like only INCHES AWAY. _Steel\u2019s face FILLS the *Leupold Mark 4*"
            " scope_.",
        ),
        ("Formatted.fountain", "He dialed *69 and then 23\\*, and then hung up."),
    ]


def _with_texts(screenplay: Screenplay) -> Screenplay:
    """Empty texts that FDX drops (an empty paragraph is noise in Final Draft files) made
    non-empty; see ``fdx.body``."""
    elements = tuple(
        replace(element, text="x")
        if isinstance(element, _DROPPED_WHEN_EMPTY) and not element.text
        else element
        for element in screenplay.elements
    )
    return replace(screenplay, elements=elements)


@settings(max_examples=300, deadline=None)
@given(writable_screenplays().map(_with_texts))
@example(Screenplay((), (Action(text="[[aside]]", forced=True),)))  # found once under xdist
def test_every_writable_screenplay_survives_fdx(screenplay: Screenplay) -> None:
    assert read_fdx(write_fdx(screenplay)) == canonical(screenplay)


@settings(max_examples=300, deadline=None)
@given(any_screenplays())
def test_any_screenplay_writes_well_formed_fdx_that_settles_after_one_read(
    screenplay: Screenplay,
) -> None:
    data = write_fdx(screenplay)
    root = fromstring(data)
    assert root.tag == "FinalDraft"
    assert root.find("Content") is not None
    once = read_fdx(data)
    assert read_fdx(write_fdx(once)) == once
