"""The JSON form of a screenplay: exact shape, lossless round trip, strict validation."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    ScreenplayError,
    Section,
    Synopsis,
    TitleEntry,
    Transition,
)
from fountainai.fountain.jsonformat import FORMAT, VERSION, from_data, to_data
from tests.fountain.strategies import any_screenplays, json_values

EVERY_KIND = Screenplay(
    title_page=(TitleEntry("Title", "Brick\nSteel", line=1), TitleEntry("Author", "Stu")),
    elements=(
        SceneHeading("INT. HOUSE - DAY", scene_number="1A", forced=True, line=4),
        Action("  Bob walks.\n*Fast*.", forced=True),
        Centered("THE END"),
        Character("BOB", extensions=("V.O.", "CONT'D"), dual=True, forced=True),
        Parenthetical("beat"),
        Dialogue("Hello\n\nthere"),
        Lyric("la\nla"),
        Transition("CUT TO:", forced=True),
        PageBreak(line=30),
        Section("Act One", depth=2),
        Synopsis("Setup."),
        Note("remember"),
    ),
    hidden=2,
)


def _valid() -> dict[str, Any]:
    return json.loads(json.dumps(to_data(EVERY_KIND)))  # type: ignore[no-any-return]


def test_to_data_shape() -> None:
    data = to_data(EVERY_KIND)
    assert data["format"] == FORMAT == "fountainai.screenplay"
    assert data["version"] == VERSION == 1
    assert data["hidden"] == 2
    assert data["titlePage"] == [
        {"key": "Title", "value": "Brick\nSteel", "line": 1},
        {"key": "Author", "value": "Stu"},
    ]
    elements = data["elements"]
    assert isinstance(elements, list)
    assert elements[0] == {
        "type": "sceneHeading",
        "text": "INT. HOUSE - DAY",
        "sceneNumber": "1A",
        "forced": True,
        "line": 4,
    }
    assert elements[3] == {
        "type": "character",
        "name": "BOB",
        "extensions": ["V.O.", "CONT'D"],
        "dual": True,
        "forced": True,
    }
    assert elements[8] == {"type": "pageBreak", "line": 30}
    assert elements[9] == {"type": "section", "text": "Act One", "depth": 2}
    assert [element["type"] for element in elements] == [
        "sceneHeading",
        "action",
        "centered",
        "character",
        "parenthetical",
        "dialogue",
        "lyric",
        "transition",
        "pageBreak",
        "section",
        "synopsis",
        "note",
    ]


def test_empty_screenplay() -> None:
    data = to_data(Screenplay())
    assert data == {"format": FORMAT, "version": 1, "titlePage": [], "elements": []}
    assert from_data(data) == Screenplay()


def test_round_trip_keeps_lines_and_hidden() -> None:
    back = from_data(_valid())
    assert back == EVERY_KIND
    assert back.hidden == 2
    assert [element.line for element in back.elements] == [
        element.line for element in EVERY_KIND.elements
    ]
    assert back.title_page[0].line == 1


def test_optional_fields_take_defaults() -> None:
    data = {
        "format": FORMAT,
        "version": 1,
        "elements": [
            {"type": "sceneHeading", "text": "INT. A"},
            {"type": "character", "name": "BOB"},
            {"type": "section", "text": "Act"},
        ],
    }
    assert from_data(data).elements == (
        SceneHeading("INT. A"),
        Character("BOB"),
        Section("Act", depth=1),
    )


def _set(*path_and_value: Any) -> dict[str, Any]:
    """A valid document with the value at ``path`` (keys and indexes) replaced."""
    *parents, last, value = path_and_value
    data = _valid()
    target: Any = data
    for step in parents:
        target = target[step]
    target[last] = value
    return data


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ([], "/: expected an object, got an array"),
        (_set("format", "fdx"), "/format: expected 'fountainai.screenplay'"),
        (_set("version", 2), "/version: unsupported version 2"),
        (_set("version", "1"), "/version: expected an integer, got a string"),
        (_set("version", True), "/version: expected an integer, got a boolean"),
        (_set("hidden", -1), "/hidden: expected an integer from 0"),
        (_set("extra", 1), "/extra: unknown field"),
        (_set("titlePage", {}), "/titlePage: expected an array"),
        (_set("titlePage", 1, {"key": "A"}), "/titlePage/1/value: missing"),
        (_set("titlePage", 0, "value", None), "/titlePage/0/value: expected a string, got null"),
        (_set("titlePage", 0, "line", 1.0), "/titlePage/0/line: expected an integer, got a number"),
        (_set("elements", 2, "x"), "/elements/2: expected an object, got a string"),
        (_set("elements", 2, "type", "shot"), "/elements/2/type: unknown element type 'shot'"),
        (_set("elements", 1, {"text": "x"}), "/elements/1/type: missing"),
        (
            _set("elements", 1, "forced", 1),
            "/elements/1/forced: expected a boolean, got an",
        ),
        (_set("elements", 1, "name", "BOB"), "/elements/1/name: unknown field"),
        (_set("elements", 3, "extensions", "V.O."), "/elements/3/extensions: expected an array"),
        (_set("elements", 3, "extensions", 1, 5), "/elements/3/extensions/1: expected a string"),
        (_set("elements", 0, "sceneNumber", 1), "/elements/0/sceneNumber: expected a string"),
        (_set("elements", 9, "depth", 0), "/elements/9/depth: expected an integer from 1"),
        (_set("elements", 9, "depth", 65), "/elements/9/depth: expected an integer from 1 to 64"),
        (_set("elements", 8, "line", -3), "/elements/8/line: expected an integer from 0"),
        (_set("elements", 4, "text", "\ud800"), "/elements/4/text: string holds a lone surrogate"),
        (_set("elements", 4, "a~b/c", 1), "/elements/4/a~0b~1c: unknown field"),
        (_set("elements", 5, "text", "x" * 1_000_001), "/elements/5/text: string longer than"),
        (_set("elements", [{}] * 200_001), "/elements: more than 200000 items"),
    ],
)
def test_from_data_rejects(data: object, location: str) -> None:
    with pytest.raises(ScreenplayError, match="^" + re.escape(location)):
        from_data(data)


def test_missing_text_is_named() -> None:
    data = _valid()
    del data["elements"][11]["text"]
    with pytest.raises(ScreenplayError, match=r"^/elements/11/text: missing$"):
        from_data(data)


@settings(max_examples=200, deadline=None)
@given(any_screenplays())
def test_round_trip_through_json_text(screenplay: Screenplay) -> None:
    text = json.dumps(to_data(screenplay), ensure_ascii=False)
    back = from_data(json.loads(text))
    assert back == screenplay
    assert back.hidden == screenplay.hidden
    assert [element.line for element in back.elements] == [
        element.line for element in screenplay.elements
    ]


@settings(max_examples=200, deadline=None)
@given(json_values())
def test_from_data_only_raises_screenplay_error(value: object) -> None:
    with contextlib.suppress(ScreenplayError):
        from_data(value)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_documents_only_raise_screenplay_error(data: st.DataObject) -> None:
    document = _valid()
    elements = document["elements"]
    index = data.draw(st.integers(0, len(elements) - 1))
    field = data.draw(st.sampled_from([*elements[index], "type", "other"]))
    elements[index][field] = data.draw(json_values())
    with contextlib.suppress(ScreenplayError):
        from_data(document)
