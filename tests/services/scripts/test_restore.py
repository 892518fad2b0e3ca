"""Restore puts back the exact earlier state, keeping the current one as a version first."""

from __future__ import annotations

import httpx

from tests.services.scripts.support import (
    API,
    create_script,
    create_section,
    create_transition,
    json_of,
)

STATE_FIELDS = ("title", "author", "description", "titlePage")


async def test_restore_a_script_section_and_transition(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(
        client, author="Ann", titlePage=[{"key": "Draft date", "value": "1/1"}]
    )
    url = f"{API}/scripts/{script['id']}"
    await json_of(await client.put(url, json={"title": "Rewrite", "description": "new"}), 200)
    await json_of(await client.patch(url, json={"author": "Bo"}), 200)

    restored = await json_of(
        await client.post(f"{url}/restore", params={"version": 1, "comment": "undo"}), 200
    )
    assert {k: restored[k] for k in STATE_FIELDS} == {k: script[k] for k in STATE_FIELDS}
    versions = await json_of(await sequence.get(f"{API}/versions/script/{script['id']}"), 200)
    assert versions["totalCount"] == 3
    latest = await json_of(await sequence.get(f"{API}/versions/script/{script['id']}/3"), 200)
    assert (latest["data"]["author"], latest["comment"]) == ("Bo", "undo")

    act = await create_section(client, script["id"], "act")
    scene = await create_section(
        client, script["id"], title="one", heading={"prefix": "EXT", "location": "ROOF"}
    )
    await json_of(
        await client.patch(
            f"{API}/sections/{scene['id']}",
            json={"title": "two", "parentId": act["id"], "heading": None},
        ),
        200,
    )
    back = await json_of(
        await client.post(f"{API}/sections/{scene['id']}/restore", params={"version": 1}), 200
    )
    assert (back["title"], back["parentId"], back["heading"]) == (
        "one",
        None,
        scene["heading"],
    )

    cut = await create_transition(client, script["id"], text="CUT TO:", sectionId=scene["id"])
    await client.patch(
        f"{API}/transitions/{cut['id']}",
        json={"text": "SMASH CUT TO:", "forced": True, "sectionId": None},
    )
    undone = await json_of(
        await client.post(f"{API}/transitions/{cut['id']}/restore", params={"version": 1}), 200
    )
    assert (undone["text"], undone["forced"], undone["sectionId"]) == (
        "CUT TO:",
        False,
        scene["id"],
    )


async def test_restore_of_a_missing_version_or_element_is_404(client: httpx.AsyncClient) -> None:
    script = await create_script(client)
    section = await create_section(client, script["id"])
    assert (
        await client.post(f"{API}/scripts/{script['id']}/restore", params={"version": 1})
    ).status_code == 404
    gone = await client.post(f"{API}/sections/{section['id']}/restore", params={"version": 1})
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"
    missing = await client.post(f"{API}/transitions/77/restore", params={"version": 1})
    assert missing.status_code == 404
