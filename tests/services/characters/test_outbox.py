"""Every write of a character, action or line queues its search document (or its deletion) in
the outbox, in the write's own transaction; a failed write leaves none."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.services.characters.models import outbox
from tests.services.characters.support import (
    create_action,
    create_character,
    create_line,
    last_version,
    outbox_payload,
    outbox_rows,
    stage,
)
from tests.services.scripts.support import API, json_of
from tests.support.platform import ServedApp


async def test_each_write_queues_its_document(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB", aliases=["ROB"])
    action = await create_action(client, at.script, "Rain.", characterId=bob["id"])
    line = await create_line(client, at.script, bob["id"], "Hi.", extensions=["V.O."])
    await json_of(await client.patch(f"{API}/characters/{bob['id']}", json={"name": "ROBERT"}), 200)
    await json_of(await client.put(f"{API}/characters/{bob['id']}", json={"name": "BOBBY"}), 200)
    await json_of(await client.patch(f"{API}/lines/{line['id']}", json={"text": "Bye."}), 200)
    assert (await client.delete(f"{API}/actions/{action['id']}")).status_code == 204
    version = await last_version(sequence, "action", action["id"])
    await json_of(
        await client.post(f"{API}/actions/{action['id']}/restore", params={"version": version}),
        200,
    )
    await json_of(
        await client.post(f"{API}/characters/{bob['id']}/restore", params={"version": 1}), 200
    )

    c, a, s = f"character:{bob['id']}", f"action:{action['id']}", f"spokenWord:{line['id']}"
    assert (c, a, s) == ("character:1", "action:1", "spokenWord:1")
    assert await outbox_rows(app) == [
        (c, "upsert"),
        (a, "upsert"),
        (s, "upsert"),
        (c, "upsert"),
        (c, "upsert"),
        (s, "upsert"),
        (a, "delete"),
        (a, "upsert"),
        (c, "upsert"),
    ]
    character = await outbox_payload(app, c)
    assert (character["elementType"], character["name"], character["aliases"]) == (
        "character",
        "BOB",
        ["ROB"],
    )
    assert character["scriptId"] == at.script
    spoken = await outbox_payload(app, s)
    assert (spoken["elementType"], spoken["text"], spoken["extensions"]) == (
        "spokenWord",
        "Bye.",
        ["V.O."],
    )
    assert (spoken["speechId"], spoken["characterId"]) == (line["id"], bob["id"])
    restored = await outbox_payload(app, a)
    assert (restored["elementType"], restored["text"]) == ("action", "Rain.")
    for payload in (character, spoken, restored):
        assert "sequenceNumber" not in payload


async def test_deletes_queue_a_deletion_without_a_document(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    line = await create_line(client, at.script, bob["id"])
    for path in (f"lines/{line['id']}", f"characters/{bob['id']}"):
        assert (await client.delete(f"{API}/{path}")).status_code == 204
    assert (await outbox_rows(app))[-2:] == [
        (f"spokenWord:{line['id']}", "delete"),
        (f"character:{bob['id']}", "delete"),
    ]
    async with app.state.sessionmaker() as session:
        payloads = (
            (await session.execute(select(outbox.c.payload).where(outbox.c.operation == "delete")))
            .scalars()
            .all()
        )
    assert list(payloads) == [None, None]


async def test_a_failed_write_rolls_its_outbox_row_back(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence_server: ServedApp
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    line = await create_line(client, at.script, bob["id"])
    before = await outbox_rows(app)
    await sequence_server.stop()
    for response in (
        await client.patch(f"{API}/characters/{bob['id']}", json={"name": "ROBERT"}),
        await client.patch(f"{API}/lines/{line['id']}", json={"text": "x"}),
        await client.delete(f"{API}/lines/{line['id']}"),
    ):
        assert response.status_code == 503, response.text
    assert await outbox_rows(app) == before
    # A refused write (422) queues nothing either.
    await sequence_server.start()
    clash = await client.patch(f"{API}/lines/{line['id']}", json={"characterId": 999})
    assert clash.status_code == 422
    assert await outbox_rows(app) == before
