"""Reading a story back: nested, filtered, paged, windowed; a fixed number of upstream calls
whatever the script's length."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from fountainai.core.clients.base import TypedClient
from tests.services.story.support import STORY, all_nodes, import_text
from tests.support.platform import ServedApp

SCRIPT = """Title: Two Scenes

# Act One

INT. KITCHEN - DAY

Ann cooks.

ANN
Dinner's ready.

BEN
(calling)
Coming!

EXT. GARDEN - NIGHT

Ben smokes.

ANN
Come in.
"""


def _long_script(scenes: int) -> str:
    body = "\n".join(
        f"INT. ROOM {n} - DAY\n\nA thing happens.\n\nANN\nLine {n}.\n\nBEN\nReply {n}.\n"
        for n in range(scenes)
    )
    return f"Title: Long\n\n{body}"


async def _imported(client: httpx.AsyncClient, text: str) -> int:
    answer = await import_text(client, text)
    assert answer.status_code == 201, answer.text
    script_id: int = answer.json()["scriptId"]
    return script_id


async def test_sections_nest_their_elements_and_characters_resolve(
    client: httpx.AsyncClient,
) -> None:
    script_id = await _imported(client, SCRIPT)
    story = (await client.get(STORY, params={"scriptId": script_id})).json()
    assert story["totalCount"] == 8
    [act] = story["elements"]
    kitchen, garden = act["elements"]
    assert [n["elementType"] for n in kitchen["elements"]] == ["action", "spokenWord", "spokenWord"]
    assert [n.get("characterName") for n in kitchen["elements"]] == [None, "ANN", "BEN"]
    assert garden["heading"]["timeOfDay"] == "NIGHT"


async def test_pages_show_the_sections_they_start_inside_as_continued(
    client: httpx.AsyncClient,
) -> None:
    script_id = await _imported(client, SCRIPT)
    page = (await client.get(STORY, params={"scriptId": script_id, "offset": 3, "limit": 2})).json()
    [act] = page["elements"]
    assert act["continued"] is True
    assert act["sequenceNumber"] is None
    [kitchen] = act["elements"]
    assert kitchen["continued"] is True
    assert [n["text"] for n in kitchen["elements"]] == ["Dinner's ready.", "Coming!"]
    flat = await all_nodes(client, script_id)
    assert len(flat) == page["totalCount"] == 8


async def test_filter_by_character_keeps_their_lines_inside_their_scenes(
    client: httpx.AsyncClient,
) -> None:
    script_id = await _imported(client, SCRIPT)
    story = (await client.get(STORY, params={"scriptId": script_id})).json()
    ann = next(c["id"] for c in story["characters"] if c["name"] == "ANN")
    only_ann = (
        await client.get(STORY, params={"scriptId": script_id, "filterByCharacter": ann})
    ).json()
    assert only_ann["totalCount"] == 2
    texts = [n["text"] for scene in only_ann["elements"][0]["elements"] for n in scene["elements"]]
    assert texts == ["Dinner's ready.", "Come in."]


async def test_filter_by_context_uses_the_sessions_service(
    client: httpx.AsyncClient,
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    sessions_server: ServedApp,
) -> None:
    script_id = await _imported(client, SCRIPT)
    flat = await all_nodes(client, script_id)
    smoking = next(n for n in flat if n.get("text") == "Ben smokes.")
    async with service_client(sessions_server) as sessions:
        put = await sessions.put(
            f"/api/v1/contexts/action/{smoking['elementId']}", json={"values": {"mood": "tense"}}
        )
        assert put.status_code == 200, put.text
    for expression, expected in (("mood", 1), ("mood=tense", 1), ("mood=calm", 0), ("x", 0)):
        found = (
            await client.get(STORY, params={"scriptId": script_id, "filterByContext": expression})
        ).json()
        assert found["totalCount"] == expected, expression
    whole = await all_nodes(client, script_id)
    assert next(n for n in whole if n.get("text") == "Ben smokes.")["context"] == {"mood": "tense"}


async def test_sequence_windows(client: httpx.AsyncClient) -> None:
    script_id = await _imported(client, SCRIPT)
    window = (
        await client.get(
            f"{STORY}/sequences",
            params={"scriptId": script_id, "startSequence": 2, "endSequence": 4},
        )
    ).json()
    assert [e["sequenceNumber"] for e in window["elements"]] == [2, 3, 4]
    assert [e["elementType"] for e in window["elements"]] == ["section", "section", "action"]
    assert window["totalCount"] == 11  # the script, 2 characters and 8 story elements


@pytest.mark.parametrize(
    "params",
    [
        {"startSequence": 5, "endSequence": 4},
        {"startSequence": 1, "endSequence": 1001},
        {"startSequence": 0},
        {"startSequence": "x"},
    ],
)
async def test_bad_windows_are_refused(client: httpx.AsyncClient, params: dict[str, Any]) -> None:
    script_id = await _imported(client, SCRIPT)
    answer = await client.get(f"{STORY}/sequences", params={"scriptId": script_id, **params})
    assert answer.status_code == 422


@pytest.mark.parametrize(
    "params",
    [
        {"scriptId": 0},
        {"scriptId": "x"},
        {},
        {"scriptId": 1, "limit": 0},
        {"scriptId": 1, "filterByContext": ""},
    ],
)
async def test_bad_story_queries_are_refused(
    client: httpx.AsyncClient, params: dict[str, Any]
) -> None:
    assert (await client.get(STORY, params=params)).status_code == 422


async def test_an_unknown_script_is_404(client: httpx.AsyncClient) -> None:
    for path in (STORY, f"{STORY}/sequences"):
        assert (await client.get(path, params={"scriptId": 999_999})).status_code == 404
    assert (await client.get(f"{STORY}/999999/export")).status_code == 404


async def test_assembly_makes_the_same_number_of_calls_for_any_length(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    short_id = await _imported(client, _long_script(2))
    long_id = await _imported(client, _long_script(120))
    calls: list[str] = []
    original = TypedClient._call

    async def counted(self: TypedClient, method: str, path: str, **kwargs: Any) -> Any:
        calls.append(path)
        return await original(self, method, path, **kwargs)

    monkeypatch.setattr(TypedClient, "_call", counted)
    for script_id in (short_id, long_id):
        calls.clear()
        assert (await client.get(STORY, params={"scriptId": script_id})).status_code == 200
        if script_id == short_id:
            short_calls = len(calls)
    assert len(calls) == short_calls
