"""Every element gets its number from the real Central Sequence before it is committed."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.services.scripts.support import (
    API,
    create_script,
    create_section,
    create_transition,
    json_of,
    outbox_rows,
    reading_order,
    row_counts,
)
from tests.support.platform import ServedApp


async def test_numbers_are_dense_and_in_reading_order(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    act = await create_section(client, script["id"], "act", title="ACT ONE")
    scene = await create_section(
        client,
        script["id"],
        heading={"prefix": "INT", "location": "KITCHEN", "timeOfDay": "NIGHT"},
        parentId=act["id"],
    )
    cut = await create_transition(client, script["id"], sectionId=scene["id"])

    assert [script["sequenceNumber"], act["sequenceNumber"], scene["sequenceNumber"]] == [1, 2, 3]
    assert cut["sequenceNumber"] == 4
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("section", act["id"]),
        ("section", scene["id"]),
        ("transition", cut["id"]),
    ]
    listed = await json_of(await client.get(f"{API}/scripts/{script['id']}/sections"), 200)
    assert [(s["id"], s["sequenceNumber"]) for s in listed["items"]] == [
        (act["id"], 2),
        (scene["id"], 3),
    ]


async def test_insert_mid_script_shifts_and_delete_closes_the_gap(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    first = await create_section(client, script["id"], title="one")
    last = await create_section(client, script["id"], title="three")
    middle = await create_section(client, script["id"], title="two", position=3)

    assert middle["sequenceNumber"] == 3
    got = await json_of(await client.get(f"{API}/sections/{last['id']}"), 200)
    assert got["sequenceNumber"] == 4
    listed = await json_of(await client.get(f"{API}/scripts/{script['id']}/sections"), 200)
    assert [s["title"] for s in listed["items"]] == ["one", "two", "three"]

    assert (await client.delete(f"{API}/sections/{first['id']}")).status_code == 204
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("section", middle["id"]),
        ("section", last["id"]),
    ]
    gone = await client.get(f"{API}/sections/{first['id']}")
    assert gone.status_code == 404


async def test_sequence_down_means_503_and_nothing_left_then_a_retry_works(
    app: FastAPI,
    client: httpx.AsyncClient,
    sequence_server: ServedApp,
    sequence: httpx.AsyncClient,
) -> None:
    script = await create_script(client)
    section = await create_section(client, script["id"])
    before = await row_counts(app)
    await sequence_server.stop()

    refused = [
        await client.post(f"{API}/scripts", json={"title": "Lost"}),
        await client.post(f"{API}/scripts/{script['id']}/sections", json={"kind": "act"}),
        await client.post(f"{API}/scripts/{script['id']}/transitions", json={"text": "CUT TO:"}),
        await client.patch(f"{API}/sections/{section['id']}", json={"title": "changed"}),
        await client.delete(f"{API}/sections/{section['id']}"),
    ]
    for response in refused:
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "5"
    assert await row_counts(app) == before

    await sequence_server.start()
    retried = await create_section(client, script["id"], "act")
    assert retried["sequenceNumber"] == 3
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("section", section["id"]),
        ("section", retried["id"]),
    ]
    assert (await outbox_rows(app))[-1] == (f"section:{retried['id']}", "upsert")
