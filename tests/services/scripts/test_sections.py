"""The section tree stays a tree within one script; transitions stay within their script."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.services.scripts.support import (
    API,
    create_script,
    create_section,
    create_transition,
    json_of,
    reading_order,
    row_counts,
)


async def tree(client: httpx.AsyncClient) -> tuple[dict[str, Any], ...]:
    script = await create_script(client)
    act = await create_section(client, script["id"], "act", title="ACT I")
    sequence_ = await create_section(client, script["id"], "sequence", parentId=act["id"])
    scene = await create_section(client, script["id"], parentId=sequence_["id"])
    return script, act, sequence_, scene


async def test_a_move_that_makes_a_cycle_is_422_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    _, act, sequence_, scene = await tree(client)
    for section, parent in ((act, scene), (act, act), (sequence_, scene)):
        response = await client.patch(
            f"{API}/sections/{section['id']}", json={"parentId": parent["id"]}
        )
        assert response.status_code == 422, response.text
        assert "cycle" in response.json()["detail"]
    got = await json_of(await client.get(f"{API}/sections/{act['id']}"), 200)
    assert got["parentId"] is None
    moved = await client.patch(f"{API}/sections/{scene['id']}", json={"parentId": act["id"]})
    assert (await json_of(moved, 200))["parentId"] == act["id"]
    to_top = await client.patch(f"{API}/sections/{scene['id']}", json={"parentId": None})
    assert (await json_of(to_top, 200))["parentId"] is None


async def test_a_parent_or_section_of_another_script_is_422(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    script, act, _, scene = await tree(client)
    other = await create_script(client, title="Other")
    foreign = await create_section(client, other["id"], "act")
    before = await row_counts(app)

    attempts = [
        client.post(
            f"{API}/scripts/{script['id']}/sections",
            json={"kind": "scene", "parentId": foreign["id"]},
        ),
        client.patch(f"{API}/sections/{act['id']}", json={"parentId": foreign["id"]}),
        client.post(
            f"{API}/scripts/{script['id']}/transitions",
            json={"text": "CUT TO:", "sectionId": foreign["id"]},
        ),
        client.post(
            f"{API}/scripts/{script['id']}/sections", json={"kind": "scene", "parentId": 999_999}
        ),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
    transition = await create_transition(client, script["id"], sectionId=scene["id"])
    moved = await client.patch(
        f"{API}/transitions/{transition['id']}", json={"sectionId": foreign["id"]}
    )
    assert moved.status_code == 422
    assert (await row_counts(app))["sections"] == before["sections"]


async def test_headings_belong_to_scenes(client: httpx.AsyncClient) -> None:
    script, act, _, scene = await tree(client)
    heading = {"prefix": "INT./EXT.", "location": "CAR", "timeOfDay": "DAY", "sceneNumber": "1A"}
    refused = await client.post(
        f"{API}/scripts/{script['id']}/sections", json={"kind": "act", "heading": heading}
    )
    assert refused.status_code == 422
    forced = {"prefix": None, "location": "SNIPER SCOPE POV"}
    updated = await client.patch(f"{API}/sections/{scene['id']}", json={"heading": forced})
    assert (await json_of(updated, 200))["heading"] == {
        "prefix": None,
        "location": "SNIPER SCOPE POV",
        "timeOfDay": "",
        "sceneNumber": None,
    }
    assert (
        await client.patch(f"{API}/sections/{scene['id']}", json={"kind": "act"})
    ).status_code == 422
    ok = await client.patch(f"{API}/sections/{act['id']}", json={"heading": None, "title": "I"})
    assert (await json_of(ok, 200))["title"] == "I"


async def test_deleting_a_section_with_contents_needs_cascade(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script, act, _, scene = await tree(client)
    cut = await create_transition(client, script["id"], sectionId=scene["id"])
    tail = await create_section(client, script["id"], "act", title="ACT II")
    before = await row_counts(app)

    refused = await client.delete(f"{API}/sections/{act['id']}")
    assert refused.status_code == 409
    assert await row_counts(app) == before
    assert (await client.delete(f"{API}/transitions/{cut['id']}")).status_code == 204
    cascaded = await client.delete(f"{API}/sections/{act['id']}", params={"cascade": "true"})
    assert cascaded.status_code == 204
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("section", tail["id"]),
    ]
    versions = await json_of(await sequence.get(f"{API}/versions/section/{scene['id']}"), 200)
    assert versions["totalCount"] == 1
