"""Every Fountain fixture survives parse → write → parse, and writing is stable after one pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from fountainai.fountain import Action, Screenplay
from fountainai.fountain.parser import parse_bytes
from fountainai.fountain.writer import check, write
from tests.fountain.conftest import fixture_files
from tests.fountain.strategies import forcing_kept, unforced

FOUNTAIN_FILES = fixture_files(".fountain")


def test_fixtures_are_found() -> None:
    assert len(FOUNTAIN_FILES) >= 50


@pytest.mark.parametrize("path", FOUNTAIN_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fixture_round_trip(path: Path) -> None:
    original = parse_bytes(path.read_bytes())
    assert check(original) == []
    text = write(original)
    again = parse_bytes(text.encode("utf-8"))
    assert again.title_page == original.title_page
    assert unforced(again.elements) == unforced(original.elements)
    assert forcing_kept(original.elements, again.elements)
    assert write(again) == text
    assert parse_bytes(write(again).encode("utf-8")) == again


def test_fixtures_need_forcing_only_for_the_trailing_space_escape() -> None:
    """The writer forces no fixture element the source did not force, except the spec's
    ``CUT TO:␣`` action (a trailing space, which editors strip, is what kept it action): it is
    written ``!CUT TO:``."""
    newly_forced = []
    for path in FOUNTAIN_FILES:
        original = parse_bytes(path.read_bytes())
        again = parse_bytes(write(original).encode("utf-8"))
        for before, after in zip(original.elements, again.elements, strict=True):
            if after != before:
                newly_forced.append((path.name, after))
    assert newly_forced == [
        ("Simple.fountain", Action("CUT TO:", forced=True)),
        ("Transitions.fountain", Action("CUT TO:", forced=True)),
    ]


def test_written_fixture_is_plain_text() -> None:
    """Output ends in one newline, has no tabs and no trailing blank lines."""
    for path in FOUNTAIN_FILES:
        text = write(parse_bytes(path.read_bytes()))
        assert text.endswith("\n"), path
        assert not text.endswith("\n\n"), path
        assert "\t" not in text, path


def test_empty_fixture_text() -> None:
    assert write(Screenplay()) == ""
