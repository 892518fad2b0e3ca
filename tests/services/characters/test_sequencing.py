"""Every character, action and line gets its number from the real Central Sequence before it is
committed, interleaved with the Scripts service's elements in one dense reading order."""

from __future__ import annotations

import socket

import httpx
from fastapi import FastAPI

from fountainai.core.clients import SequenceClient
from tests.services.characters.support import (
    create_action,
    create_character,
    create_line,
    items,
    outbox_rows,
    row_counts,
    stage,
)
from tests.services.scripts.support import (
    API,
    create_markup,
    create_section,
    create_transition,
    json_of,
    reading_order,
)
from tests.support.platform import FAST_RETRY, ServedApp


async def number_of(client: httpx.AsyncClient, path: str) -> int:
    got = await json_of(await client.get(f"{API}/{path}"), 200)
    return int(got["sequenceNumber"])


async def test_numbers_are_dense_and_interleaved_with_the_scripts_elements(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    action = await create_action(client, at.script, sectionId=at.scene, characterId=bob["id"])
    line = await create_line(client, at.script, bob["id"], sectionId=at.scene)
    cut = await create_transition(scripts, at.script, sectionId=at.scene)
    night = await create_section(scripts, at.script)
    note = await create_markup(scripts, at.script, "note", sectionId=night["id"])
    ann = await create_character(client, at.script, "ANN")
    answer = await create_line(client, at.script, ann["id"], sectionId=night["id"])

    assert [e["sequenceNumber"] for e in (bob, action, line)] == [3, 4, 5]
    assert [e["sequenceNumber"] for e in (cut, night, note, ann, answer)] == [6, 7, 8, 9, 10]
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("section", at.scene),
        ("character", bob["id"]),
        ("action", action["id"]),
        ("spokenWord", line["id"]),
        ("transition", cut["id"]),
        ("section", night["id"]),
        ("note", note["id"]),
        ("character", ann["id"]),
        ("spokenWord", answer["id"]),
    ]
    listed = await items(client, "/lines", scriptId=at.script)
    assert [(e["id"], e["sequenceNumber"]) for e in listed] == [(line["id"], 5), (answer["id"], 10)]


async def test_insert_at_a_position_shifts_the_rest_and_delete_closes_the_gap(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    line = await create_line(client, at.script, bob["id"])
    cut = await create_transition(scripts, at.script)
    # Before Bob (3): everything from there moves one down.
    opening = await create_action(client, at.script, "Dawn.", position=3)
    assert opening["sequenceNumber"] == 3
    assert await number_of(client, f"characters/{bob['id']}") == 4
    assert await number_of(client, f"lines/{line['id']}") == 5
    assert await number_of(scripts, f"transitions/{cut['id']}") == 6
    # At the very end (one past the last) is allowed too.
    last = await create_line(client, at.script, bob["id"], "Bye.", position=7)
    assert last["sequenceNumber"] == 7
    ann = await create_character(client, at.script, "ANN", position=2)
    assert ann["sequenceNumber"] == 2
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("character", ann["id"]),
        ("section", at.scene),
        ("action", opening["id"]),
        ("character", bob["id"]),
        ("spokenWord", line["id"]),
        ("transition", cut["id"]),
        ("spokenWord", last["id"]),
    ]

    assert (await client.delete(f"{API}/actions/{opening['id']}")).status_code == 204
    assert (await client.delete(f"{API}/characters/{ann['id']}")).status_code == 204
    assert await number_of(client, f"characters/{bob['id']}") == 3
    assert await number_of(scripts, f"transitions/{cut['id']}") == 5
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("section", at.scene),
        ("character", bob["id"]),
        ("spokenWord", line["id"]),
        ("transition", cut["id"]),
        ("spokenWord", last["id"]),
    ]


async def test_sequence_down_means_503_and_nothing_left_then_a_retry_works(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence_server: ServedApp,
    sequence: httpx.AsyncClient,
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    action = await create_action(client, at.script)
    line = await create_line(client, at.script, bob["id"])
    before = (await row_counts(app), await outbox_rows(app))
    await sequence_server.stop()

    refused = [
        await client.post(f"{API}/characters", json={"scriptId": at.script, "name": "ANN"}),
        await client.post(f"{API}/actions", json={"scriptId": at.script, "text": "Lost."}),
        await client.post(
            f"{API}/lines", json={"scriptId": at.script, "characterId": bob["id"], "text": "?"}
        ),
        await client.patch(f"{API}/characters/{bob['id']}", json={"name": "ROBERT"}),
        await client.patch(f"{API}/actions/{action['id']}", json={"text": "Changed."}),
        await client.delete(f"{API}/lines/{line['id']}"),
    ]
    for response in refused:
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "5"
    assert (await row_counts(app), await outbox_rows(app)) == before

    await sequence_server.start()
    ann = await create_character(client, at.script, "ANN")
    assert ann["sequenceNumber"] == 6
    retried = await create_action(client, at.script, "Found.")
    assert retried["sequenceNumber"] == 7
    got = await json_of(await client.get(f"{API}/characters/{bob['id']}"), 200)
    assert got["name"] == "BOB"
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("section", at.scene),
        ("character", bob["id"]),
        ("action", action["id"]),
        ("spokenWord", line["id"]),
        ("character", ann["id"]),
        ("action", retried["id"]),
    ]
    assert (await outbox_rows(app))[-2:] == [
        (f"character:{ann['id']}", "upsert"),
        (f"action:{retried['id']}", "upsert"),
    ]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_a_row_inserted_before_numbering_is_rolled_back_when_numbering_fails(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    """Central Sequence out of this service's reach only: the Scripts service still confirms
    the script, so each create inserts its row and then fails to number it. 503, no row."""
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    before = (await row_counts(app), await outbox_rows(app))
    reachable = app.state.sequence
    async with SequenceClient(f"http://127.0.0.1:{closed_port()}", retry=FAST_RETRY) as cut_off:
        app.state.sequence = cut_off
        try:
            refused = [
                await client.post(f"{API}/characters", json={"scriptId": at.script, "name": "ANN"}),
                await client.post(f"{API}/actions", json={"scriptId": at.script, "text": "x"}),
                await client.post(
                    f"{API}/lines",
                    json={"scriptId": at.script, "characterId": bob["id"], "text": "?"},
                ),
            ]
        finally:
            app.state.sequence = reachable
    for response in refused:
        assert response.status_code == 503, response.text
        assert "Central Sequence" in response.json()["detail"]
        assert response.headers["retry-after"] == "5"
    assert (await row_counts(app), await outbox_rows(app)) == before
    # The same name is free: the refused ANN left nothing behind.
    ann = await create_character(client, at.script, "ANN")
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("section", at.scene),
        ("character", bob["id"]),
        ("character", ann["id"]),
    ]
