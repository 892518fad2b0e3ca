"""Importing a screenplay: every element lands in its owning service, in reading order, and
the story reads back assembled; export → import gives the same story for every fixture."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.fountain.conftest import fixture_files
from tests.services.story.support import STORY, all_nodes, comparable, import_text
from tests.support.platform import ServedApp

BRICK = """Title: Brick & Steel
Author: Stu Maschwitz
Draft date: 6/23/2012

# Act One

= They meet.

EXT. BRICK'S PATIO - DAY #1#

A gorgeous day. [[Or night?]]

STEEL (O.S.)
Beer's ready!

BRICK
(turning)
Are they cold?
(beat)
Good.

STEEL ^
Does a bear crap in the woods?

~Hey, hey, the gang's all here

CUT TO:

.INT. GARAGE

> THE END <

===
"""


async def test_import_creates_every_element_in_reading_order(
    client: httpx.AsyncClient,
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    sequence_server: ServedApp,
) -> None:
    answer = await import_text(client, BRICK, filename="brick.fountain")
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert report["status"] == "completed"
    assert report["counts"] == {
        "section": 3,
        "synopsis": 1,
        "action": 1,
        "character": 2,
        "spokenWord": 4,
        "lyric": 1,
        "transition": 1,
        "centered": 1,
        "pageBreak": 1,
    }
    script_id = report["scriptId"]
    assert answer.headers["location"] == f"{STORY}?scriptId={script_id}"

    answer = await client.get(STORY, params={"scriptId": script_id})
    assert answer.status_code == 200, answer.text
    story = answer.json()
    assert story["script"]["title"] == "Brick & Steel"
    assert story["script"]["author"] == "Stu Maschwitz"
    assert story["script"]["importing"] is False
    assert [c["name"] for c in story["characters"]] == ["STEEL", "BRICK"]
    act = story["elements"][0]
    assert (act["kind"], act["title"]) == ("act", "Act One")
    scene = act["elements"][1]
    assert scene["kind"] == "scene"
    assert scene["heading"] == {
        "prefix": "EXT",
        "location": "BRICK'S PATIO",
        "timeOfDay": "DAY",
        "sceneNumber": "1",
    }
    inside = scene["elements"]
    assert inside[0]["text"] == "A gorgeous day. [[Or night?]]"
    first, turning, beat, dual = inside[1:5]
    assert (first["characterName"], first["extensions"], first["text"]) == (
        "STEEL",
        ["O.S."],
        "Beer's ready!",
    )
    assert (turning["parenthetical"], turning["text"]) == ("turning", "Are they cold?")
    assert (beat["parenthetical"], beat["speechId"]) == ("beat", turning["speechId"])
    assert dual["dual"] is True
    assert [n["elementType"] for n in inside[5:]] == ["lyric", "transition"]

    async with service_client(sequence_server) as sequence:
        order = (await sequence.get("/api/v1/sequence", params={"scriptId": script_id})).json()
    numbers = [entry["sequenceNumber"] for entry in order["items"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert order["items"][0]["elementType"] == "script"


@pytest.mark.parametrize("export_format", ["fountain", "fdx", "json"])
async def test_export_imports_back_to_the_same_story(
    client: httpx.AsyncClient, export_format: str
) -> None:
    first = (await import_text(client, BRICK, filename="brick.fountain")).json()
    exported = await client.get(
        f"{STORY}/{first['scriptId']}/export", params={"format": export_format}
    )
    assert exported.status_code == 200, exported.text
    assert "attachment" in exported.headers["content-disposition"]
    again = await import_text(client, exported.content, format=export_format)
    assert again.status_code == 201, again.text
    assert comparable(await all_nodes(client, again.json()["scriptId"])) == comparable(
        await all_nodes(client, first["scriptId"])
    )


async def test_every_fixture_imports_and_its_export_reimports_identically(
    client: httpx.AsyncClient,
) -> None:
    files = fixture_files(".fountain") + fixture_files(".fdx")
    assert len(files) > 60
    for path in files:
        first = await import_text(client, path.read_bytes(), filename=path.name)
        assert first.status_code == 201, (path.name, first.text)
        script_id = first.json()["scriptId"]
        story = comparable(await all_nodes(client, script_id))
        exported = await client.get(f"{STORY}/{script_id}/export", params={"format": "fountain"})
        assert exported.status_code == 200, (path.name, exported.text)
        again = await import_text(client, exported.content, filename="again.fountain")
        assert again.status_code == 201, (path.name, again.text)
        assert comparable(await all_nodes(client, again.json()["scriptId"])) == story, path.name
