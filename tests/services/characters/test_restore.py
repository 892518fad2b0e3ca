"""Restore puts back an exact earlier state (the current one kept as a version first); a deleted
element comes back under its id, numbered again; refused (409) while what it named is gone."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.services.characters.support import (
    Json,
    create_action,
    create_character,
    create_line,
    last_version,
    row_counts,
    stage,
)
from tests.services.scripts.support import API, json_of, reading_order

VOLATILE = ("sequenceNumber", "createdAt", "updatedAt")


def state_of(element: Json) -> Json:
    return {k: v for k, v in element.items() if k not in VOLATILE}


async def restore(
    client: httpx.AsyncClient, path: str, version: int, **params: Any
) -> httpx.Response:
    return await client.post(f"{API}/{path}/restore", params={"version": version, **params})


async def test_patch_then_restore_puts_back_the_exact_state(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB", description="Tall.", aliases=["ROB"])
    ann = await create_character(client, at.script, "ANN")
    action = await create_action(
        client, at.script, "Rain.", sectionId=at.scene, characterId=bob["id"], forced=True
    )
    line = await create_line(
        client,
        at.script,
        bob["id"],
        "Hi.",
        sectionId=at.scene,
        parenthetical="beat",
        extensions=["V.O."],
        dual=True,
    )
    changes: list[tuple[str, Json, Json]] = [
        ("characters", bob, {"name": "ROBERT", "description": "", "aliases": []}),
        (
            "actions",
            action,
            {"text": "Snow.", "sectionId": None, "characterId": ann["id"], "forced": False},
        ),
        (
            "lines",
            line,
            {"text": "Bye.", "parenthetical": "", "extensions": [], "dual": False},
        ),
    ]
    for path, element, change in changes:
        url = f"{API}/{path}/{element['id']}"
        await json_of(await client.patch(url, json=change), 200)
        back = await json_of(
            await restore(client, f"{path}/{element['id']}", 1, comment="undo"), 200
        )
        assert state_of(back) == state_of(element), path
        assert back["sequenceNumber"] == element["sequenceNumber"]
        assert await json_of(await client.get(url), 200) == back
    # The state restore replaced was kept first, with the restore's comment.
    latest = await json_of(await sequence.get(f"{API}/versions/character/{bob['id']}/2"), 200)
    assert (latest["data"]["name"], latest["comment"]) == ("ROBERT", "undo")
    kept = await json_of(await sequence.get(f"{API}/versions/spokenWord/{line['id']}/2"), 200)
    assert kept["data"]["text"] == "Bye."


async def test_a_restore_that_would_clash_is_409_and_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    url = f"{API}/characters/{bob['id']}"
    await json_of(await client.patch(url, json={"name": "ROBERT"}), 200)
    await create_character(client, at.script, "bob")  # takes the old name meanwhile
    before = await row_counts(app)
    refused = await restore(client, f"characters/{bob['id']}", 1)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert await row_counts(app) == before
    assert (await json_of(await client.get(url), 200))["name"] == "ROBERT"


async def test_deleted_elements_come_back_under_their_ids_numbered_again(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB", aliases=["ROB"])
    action = await create_action(client, at.script, "Rain.", sectionId=at.scene)
    first = await create_line(client, at.script, bob["id"], "One.", parenthetical="beat")
    second = await create_line(client, at.script, bob["id"], "Two.", speechId=first["id"])
    tail = await create_action(client, at.script, "End.")
    before = await reading_order(sequence, at.script)

    for path, element in (("actions", action), ("lines", second), ("lines", first)):
        assert (await client.delete(f"{API}/{path}/{element['id']}")).status_code == 204
    assert ("action", action["id"]) not in await reading_order(sequence, at.script)

    # Back at their old numbers (restored in reading order), each as its last version (its
    # state when deleted) was.
    for path, kind, element in (
        ("actions", "action", action),
        ("lines", "spokenWord", first),
        ("lines", "spokenWord", second),
    ):
        version = await last_version(sequence, kind, element["id"])
        back = await json_of(
            await restore(
                client,
                f"{path}/{element['id']}",
                version,
                position=element["sequenceNumber"],
            ),
            200,
        )
        assert state_of(back) == state_of(element), path
        assert back["sequenceNumber"] == element["sequenceNumber"]
    assert await reading_order(sequence, at.script) == before
    got = await json_of(await client.get(f"{API}/lines/{second['id']}"), 200)
    assert got["speechId"] == first["id"]

    # Without a position a deleted element comes back at the end.
    assert (await client.delete(f"{API}/actions/{action['id']}")).status_code == 204
    version = await last_version(sequence, "action", action["id"])
    back = await json_of(await restore(client, f"actions/{action['id']}", version), 200)
    assert back["sequenceNumber"] == tail["sequenceNumber"]
    assert (await reading_order(sequence, at.script))[-1] == ("action", action["id"])
    # A deleted character too; its name was free.
    zed_was = await create_character(client, at.script, "ZED")
    assert (await client.delete(f"{API}/characters/{zed_was['id']}")).status_code == 204
    zed = await json_of(await restore(client, f"characters/{zed_was['id']}", 1), 200)
    assert state_of(zed) == state_of(zed_was)
    assert zed["sequenceNumber"] == len(before) + 1


async def test_a_deleted_element_whose_references_are_gone_cannot_come_back(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    line = await create_line(client, at.script, bob["id"], "Hi.")
    action = await create_action(client, at.script, characterId=bob["id"])
    for path in (f"lines/{line['id']}", f"actions/{action['id']}", f"characters/{bob['id']}"):
        assert (await client.delete(f"{API}/{path}")).status_code == 204
    order = await reading_order(sequence, at.script)
    before = await row_counts(app)

    for path, kind, element in (("lines", "spokenWord", line), ("actions", "action", action)):
        version = await last_version(sequence, kind, element["id"])
        refused = await restore(client, f"{path}/{element['id']}", version)
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert "character" in refused.json()["detail"]
    assert await row_counts(app) == before
    assert await reading_order(sequence, at.script) == order
    # A character whose name was taken meanwhile cannot come back either.
    await create_character(client, at.script, "bob")
    before = await row_counts(app)
    order = await reading_order(sequence, at.script)
    taken = await restore(client, f"characters/{bob['id']}", 1)
    assert taken.status_code == 409, taken.text
    assert await row_counts(app) == before
    assert await reading_order(sequence, at.script) == order


async def test_a_version_naming_what_is_gone_is_409_for_a_live_element_too(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    """The kept version was valid; what changed since is the script: a conflict, not bad input."""
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    ann = await create_character(client, at.script, "ANN")
    line = await create_line(client, at.script, bob["id"], "Hi.")
    action = await create_action(client, at.script, characterId=bob["id"], sectionId=at.scene)
    await json_of(
        await client.patch(f"{API}/lines/{line['id']}", json={"characterId": ann["id"]}), 200
    )
    await json_of(
        await client.patch(
            f"{API}/actions/{action['id']}", json={"characterId": None, "sectionId": None}
        ),
        200,
    )
    assert (await client.delete(f"{API}/characters/{bob['id']}")).status_code == 204
    assert (await scripts.delete(f"{API}/sections/{at.scene}")).status_code == 204
    before = await row_counts(app)
    kept = ("spokenWord", line["id"]), ("action", action["id"])
    versions = [await last_version(sequence, kind, element) for kind, element in kept]

    for path in (f"lines/{line['id']}", f"actions/{action['id']}"):
        refused = await restore(client, path, 1)
        assert refused.status_code == 409, (path, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
    assert await row_counts(app) == before
    assert [await last_version(sequence, kind, element) for kind, element in kept] == versions
    got = await json_of(await client.get(f"{API}/lines/{line['id']}"), 200)
    assert got["characterId"] == ann["id"]


async def test_a_line_of_a_speech_that_is_gone_cannot_come_back(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    first = await create_line(client, at.script, bob["id"], "One.")
    second = await create_line(client, at.script, bob["id"], "Two.", speechId=first["id"])
    for line in (second, first):
        assert (await client.delete(f"{API}/lines/{line['id']}")).status_code == 204
    before = await row_counts(app)
    version = await last_version(sequence, "spokenWord", second["id"])
    refused = await restore(client, f"lines/{second['id']}", version)
    assert refused.status_code == 409, refused.text
    assert "speech" in refused.json()["detail"]
    assert await row_counts(app) == before
    # Its speech back first, it may follow.
    await json_of(await restore(client, f"lines/{first['id']}", 1), 200)
    back = await json_of(await restore(client, f"lines/{second['id']}", version), 200)
    assert back["speechId"] == first["id"]


async def test_a_deleted_newest_elements_id_is_never_handed_out_again(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    """Central Sequence keys versions by id: a reused id would inherit the old history."""
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    action = await create_action(client, at.script, "Old.")
    line = await create_line(client, at.script, bob["id"], "Old.")
    for path in (f"lines/{line['id']}", f"actions/{action['id']}", f"characters/{bob['id']}"):
        assert (await client.delete(f"{API}/{path}")).status_code == 204
    ann = await create_character(client, at.script, "ANN")
    new_action = await create_action(client, at.script, "New.")
    new_line = await create_line(client, at.script, ann["id"], "New.")
    assert ann["id"] != bob["id"]
    assert new_action["id"] != action["id"]
    assert new_line["id"] != line["id"]
    assert await last_version(sequence, "action", new_action["id"]) == 0
    # The old ones can still come back under their own ids.
    back = await json_of(await restore(client, f"actions/{action['id']}", 1), 200)
    assert (back["id"], back["text"]) == (action["id"], "Old.")


async def test_restore_of_a_missing_version_or_element_is_404(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    action = await create_action(client, at.script)
    line = await create_line(client, at.script, bob["id"])
    for path in (f"characters/{bob['id']}", f"actions/{action['id']}", f"lines/{line['id']}"):
        response = await restore(client, path, 1)  # none kept yet
        assert response.status_code == 404, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    for path in ("characters/999", "actions/999", "lines/999"):
        assert (await restore(client, path, 1)).status_code == 404, path
