"""Actions: placed in a script (and maybe one of its sections), maybe about one of its
characters; changed, listed by script, character, section and keyword, deleted."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.services.characters.support import (
    create_action,
    create_character,
    items,
    row_counts,
    stage,
)
from tests.services.scripts.support import API, create_section, json_of, reading_order


async def test_create_read_change_and_delete_an_action(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    text = "Rain hammers the windshield.\n\nBob looks up — 🌧."
    action = await create_action(
        client, at.script, text, sectionId=at.scene, characterId=bob["id"], forced=True
    )
    assert (action["text"], action["forced"]) == (text, True)
    assert (action["sectionId"], action["characterId"]) == (at.scene, bob["id"])
    assert (action["sequenceNumber"], action["createdBy"]) == (4, "writer-1")
    url = f"{API}/actions/{action['id']}"
    assert await json_of(await client.get(url), 200) == action

    plain = await create_action(client, at.script)
    assert (plain["sectionId"], plain["characterId"], plain["forced"]) == (None, None, False)

    patched = await json_of(await client.patch(url, json={"text": "Dry.", "comment": "c"}), 200)
    assert (patched["text"], patched["forced"], patched["sectionId"]) == ("Dry.", True, at.scene)
    assert patched["characterId"] == bob["id"]
    assert patched["sequenceNumber"] == action["sequenceNumber"]
    cleared = await json_of(
        await client.patch(url, json={"sectionId": None, "characterId": None, "forced": False}),
        200,
    )
    assert (cleared["sectionId"], cleared["characterId"], cleared["forced"]) == (None, None, False)
    assert cleared["text"] == "Dry."
    for nulled in ({"text": None}, {"forced": None}):
        assert (await client.patch(url, json=nulled)).status_code == 422, nulled
    versions = await json_of(await sequence.get(f"{API}/versions/action/{action['id']}"), 200)
    assert versions["totalCount"] == 2
    first = await json_of(await sequence.get(f"{API}/versions/action/{action['id']}/1"), 200)
    assert first["data"] == {
        "sectionId": at.scene,
        "characterId": bob["id"],
        "text": text,
        "forced": True,
    }
    assert first["comment"] == "c"

    before = await row_counts(app)
    assert (await client.delete(url, params={"comment": "cut"})).status_code == 204
    assert (await row_counts(app))["actions"] == before["actions"] - 1
    assert (await client.get(url)).status_code == 404
    assert (await client.delete(url)).status_code == 404
    assert (await client.patch(url, json={"text": "x"})).status_code == 404
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("section", at.scene),
        ("character", bob["id"]),
        ("action", plain["id"]),
    ]


async def test_a_section_or_character_of_another_script_is_422(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    other = await stage(scripts, "Other")
    stranger = await create_character(client, other.script, "STRANGER")
    action = await create_action(client, at.script)
    before = await row_counts(app)
    for body in (
        {"sectionId": other.scene},
        {"characterId": stranger["id"]},
        {"sectionId": 999_999},
        {"characterId": 999_999},
    ):
        created = await client.post(
            f"{API}/actions", json={"scriptId": at.script, "text": "x", **body}
        )
        assert created.status_code == 422, (body, created.text)
        assert created.json()["field"] == next(iter(body))
        moved = await client.patch(f"{API}/actions/{action['id']}", json=body)
        assert moved.status_code == 422, (body, moved.text)
    assert await row_counts(app) == before
    got = await json_of(await client.get(f"{API}/actions/{action['id']}"), 200)
    assert got == action


async def test_list_actions_by_script_character_section_and_keyword(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    other = await stage(scripts, "Other")
    second_scene = await create_section(scripts, at.script)
    bob = await create_character(client, at.script, "BOB")
    ann = await create_character(client, at.script, "ANN")
    rain = await create_action(client, at.script, "Rain FALLS.", sectionId=at.scene)
    bob_sits = await create_action(
        client, at.script, "Bob sits; 100% tired.", characterId=bob["id"], sectionId=at.scene
    )
    ann_runs = await create_action(
        client, at.script, "Ann runs_fast.", characterId=ann["id"], sectionId=second_scene["id"]
    )
    # Inserted first in the reading order: listings follow it, not the ids.
    opening = await create_action(client, at.script, "Dawn. Rain again.", position=2)
    await create_action(client, other.script, "Rain elsewhere.")

    def ids(found: list[dict[str, object]]) -> list[object]:
        return [a["id"] for a in found]

    all_ids = [opening["id"], rain["id"], bob_sits["id"], ann_runs["id"]]
    assert ids(await items(client, "/actions", scriptId=at.script)) == all_ids
    assert ids(await items(client, "/actions", characterId=bob["id"])) == [bob_sits["id"]]
    assert ids(await items(client, "/actions", scriptId=at.script, sectionId=at.scene)) == [
        rain["id"],
        bob_sits["id"],
    ]
    assert ids(
        await items(client, "/actions", characterId=ann["id"], sectionId=second_scene["id"])
    ) == [ann_runs["id"]]
    assert ids(await items(client, "/actions", scriptId=at.script, keyword="rain")) == [
        opening["id"],
        rain["id"],
    ]
    assert ids(await items(client, "/actions", scriptId=at.script, keyword="falls")) == [rain["id"]]
    assert ids(await items(client, "/actions", scriptId=at.script, keyword="%")) == [bob_sits["id"]]
    assert ids(await items(client, "/actions", scriptId=at.script, keyword="_")) == [ann_runs["id"]]
    assert await items(client, "/actions", scriptId=other.script, characterId=bob["id"]) == []
    page = await json_of(
        await client.get(f"{API}/actions", params={"scriptId": at.script, "limit": 2, "offset": 1}),
        200,
    )
    assert (ids(page["items"]), page["totalCount"]) == ([rain["id"], bob_sits["id"]], 4)

    assert (await client.get(f"{API}/actions")).status_code == 422
    for params in ({"scriptId": 99_999}, {"characterId": 99_999}):
        response = await client.get(f"{API}/actions", params=params)
        assert response.status_code == 404, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
