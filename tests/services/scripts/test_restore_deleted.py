"""A deleted element comes back by restoring one of its versions: same id, that exact state,
numbered again (at the end, or at ``position``); refused (409) while what it referred to is gone."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.services.scripts.support import (
    API,
    create_markup,
    create_script,
    create_section,
    create_transition,
    json_of,
    reading_order,
    row_counts,
)

VOLATILE = ("sequenceNumber", "createdAt", "updatedAt")


def _state(element: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in element.items() if k not in VOLATILE}


async def _last_version(sequence: httpx.AsyncClient, element_type: str, element_id: int) -> int:
    versions = await json_of(await sequence.get(f"{API}/versions/{element_type}/{element_id}"), 200)
    return int(versions["totalCount"])


async def test_deleted_transition_markup_and_section_come_back_under_their_ids(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    scene = await create_section(client, script["id"], title="one")
    cut = await create_transition(client, script["id"], sectionId=scene["id"], forced=True)
    note = await create_markup(client, script["id"], "note", sectionId=scene["id"])
    before = await reading_order(sequence, script["id"])

    for path, element in (("transitions", cut), ("markup", note)):
        assert (await client.delete(f"{API}/{path}/{element['id']}")).status_code == 204
    assert ("transition", cut["id"]) not in await reading_order(sequence, script["id"])

    back_note = await json_of(
        await client.post(
            f"{API}/markup/{note['id']}/restore",
            params={"version": await _last_version(sequence, "note", note["id"])},
        ),
        200,
    )
    assert (_state(back_note), back_note["sequenceNumber"]) == (_state(note), 3)
    back_cut = await json_of(
        await client.post(
            f"{API}/transitions/{cut['id']}/restore",
            params={
                "version": await _last_version(sequence, "transition", cut["id"]),
                "position": cut["sequenceNumber"],
            },
        ),
        200,
    )
    assert _state(back_cut) == _state(cut)
    # Back in their places: the note was appended, the transition asked for its old number.
    assert await reading_order(sequence, script["id"]) == before
    got = await json_of(await client.get(f"{API}/transitions/{cut['id']}"), 200)
    assert got["sequenceNumber"] == back_cut["sequenceNumber"]


async def test_deleted_section_needs_its_parent_and_a_deleted_script_comes_back(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client, author="Ann")
    act = await create_section(client, script["id"], "act")
    scene = await create_section(client, script["id"], parentId=act["id"], title="two")
    deleted = await client.delete(f"{API}/sections/{act['id']}", params={"cascade": "true"})
    assert deleted.status_code == 204
    counts = await row_counts(app)
    orphan = await client.post(
        f"{API}/sections/{scene['id']}/restore",
        params={"version": await _last_version(sequence, "section", scene["id"])},
    )
    assert orphan.status_code == 409, orphan.text
    assert orphan.headers["content-type"] == "application/problem+json"
    assert "parentId" in orphan.json()["detail"]
    assert await row_counts(app) == counts

    for section in (act, scene):
        back = await json_of(
            await client.post(
                f"{API}/sections/{section['id']}/restore",
                params={"version": await _last_version(sequence, "section", section["id"])},
            ),
            200,
        )
        assert _state(back) == _state(section)
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("section", act["id"]),
        ("section", scene["id"]),
    ]


async def test_restoring_what_never_existed_or_twice(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    cut = await create_transition(client, script["id"])
    missing = await client.post(f"{API}/transitions/{cut['id'] + 100}/restore?version=1")
    assert missing.status_code == 404
    assert (await client.delete(f"{API}/transitions/{cut['id']}")).status_code == 204
    no_such_version = await client.post(f"{API}/transitions/{cut['id']}/restore?version=9")
    assert no_such_version.status_code == 404
    url = f"{API}/transitions/{cut['id']}/restore?version=1"
    await json_of(await client.post(url), 200)
    # Alive again: a second restore is an ordinary one (the current state is versioned first).
    await json_of(await client.post(url), 200)
    assert await _last_version(sequence, "transition", cut["id"]) == 2
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("transition", cut["id"]),
    ]
    for kind in ("transition", "note"):
        bad = await client.post(f"{API}/transitions/{cut['id']}/restore?version=1&position=0")
        assert bad.status_code == 422, kind


async def test_a_deleted_script_comes_back_then_its_elements(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient, stepped_up_client: httpx.AsyncClient
) -> None:
    script = await create_script(client, author="Ann", titlePage=[{"key": "Credit", "value": "x"}])
    cut = await create_transition(client, script["id"])
    deleted = await stepped_up_client.delete(
        f"{API}/scripts/{script['id']}", params={"cascade": "true"}
    )
    assert deleted.status_code == 204, deleted.text
    assert (await client.get(f"{API}/scripts/{script['id']}")).status_code == 404

    version = await _last_version(sequence, "script", script["id"])
    back = await json_of(
        await client.post(f"{API}/scripts/{script['id']}/restore", params={"version": version}),
        200,
    )
    assert _state(back) == _state(script)
    again = await json_of(
        await client.post(f"{API}/transitions/{cut['id']}/restore", params={"version": 1}), 200
    )
    assert _state(again) == _state(cut)
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("transition", cut["id"]),
    ]
