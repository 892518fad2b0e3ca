"""The Fountain-only kinds: each its own element type at Central Sequence, placed as transitions."""

from __future__ import annotations

import time

import httpx
from fastapi import FastAPI

from tests.services.scripts.conftest import client_for
from tests.services.scripts.support import (
    API,
    create_markup,
    create_script,
    create_section,
    create_transition,
    json_of,
    outbox_rows,
    reading_order,
    row_counts,
)
from tests.support.tokens import LocalIssuer

KINDS = ("note", "lyric", "centered", "pageBreak", "synopsis")


async def test_each_kind_is_created_read_listed_changed_and_deleted(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    scene = await create_section(client, script["id"])
    made = {kind: await create_markup(client, script["id"], kind) for kind in KINDS}
    assert [m["sequenceNumber"] for m in made.values()] == [3, 4, 5, 6, 7]
    assert made["pageBreak"]["text"] == ""
    assert made["note"]["text"] == "a note"
    assert (made["note"]["createdBy"], made["note"]["sectionId"]) == ("writer-1", None)
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("section", scene["id"]),
        *((kind, made[kind]["id"]) for kind in KINDS),
    ]

    for kind, markup in made.items():
        url = f"{API}/markup/{markup['id']}"
        assert await json_of(await client.get(url), 200) == markup
        change = {"sectionId": scene["id"]} | ({} if kind == "pageBreak" else {"text": "new"})
        changed = await json_of(await client.patch(url, json={**change, "comment": "c"}), 200)
        assert changed["sectionId"] == scene["id"]
        assert changed["text"] == ("" if kind == "pageBreak" else "new")
        assert (changed["kind"], changed["sequenceNumber"]) == (kind, markup["sequenceNumber"])
        versions = await json_of(await sequence.get(f"{API}/versions/{kind}/{markup['id']}"), 200)
        assert versions["items"][0]["comment"] == "c"

    listed = f"{API}/scripts/{script['id']}/markup"
    lyrics = await json_of(await client.get(listed, params={"kind": "lyric"}), 200)
    assert [m["id"] for m in lyrics["items"]] == [made["lyric"]["id"]]
    in_scene = await json_of(await client.get(listed, params={"sectionId": scene["id"]}), 200)
    assert [m["kind"] for m in in_scene["items"]] == list(KINDS)
    page = await json_of(await client.get(listed, params={"limit": 2, "offset": 1}), 200)
    assert ([m["kind"] for m in page["items"]], page["totalCount"]) == (["lyric", "centered"], 5)

    for kind in ("note", "pageBreak"):
        assert (await client.delete(f"{API}/markup/{made[kind]['id']}")).status_code == 204
        assert (await client.get(f"{API}/markup/{made[kind]['id']}")).status_code == 404
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("section", scene["id"]),
        *((kind, made[kind]["id"]) for kind in ("lyric", "centered", "synopsis")),
    ]
    rows = await outbox_rows(app)
    assert (f"note:{made['note']['id']}", "delete") in rows
    assert (f"pageBreak:{made['pageBreak']['id']}", "delete") in rows


async def test_transitions_and_markup_interleave_in_reading_order(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    scene = await create_section(client, script["id"])
    cut = await create_transition(client, script["id"], sectionId=scene["id"])
    end = await create_markup(client, script["id"], "centered")
    note = await create_markup(client, script["id"], "note", position=3, sectionId=scene["id"])
    brk = await create_markup(client, script["id"], "pageBreak", position=5)
    fade = await create_transition(client, script["id"], text="FADE OUT.", position=2)

    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("transition", fade["id"]),
        ("section", scene["id"]),
        ("note", note["id"]),
        ("transition", cut["id"]),
        ("pageBreak", brk["id"]),
        ("centered", end["id"]),
    ]
    markup = await json_of(await client.get(f"{API}/scripts/{script['id']}/markup"), 200)
    assert [(m["kind"], m["sequenceNumber"]) for m in markup["items"]] == [
        ("note", 4),
        ("pageBreak", 6),
        ("centered", 7),
    ]
    transitions = await json_of(await client.get(f"{API}/scripts/{script['id']}/transitions"), 200)
    assert [t["sequenceNumber"] for t in transitions["items"]] == [2, 5]


async def test_restore_puts_back_the_text_and_section(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    scene = await create_section(client, script["id"])
    note = await create_markup(client, script["id"], "note", text="first", sectionId=scene["id"])
    url = f"{API}/markup/{note['id']}"
    await json_of(await client.patch(url, json={"text": "second", "sectionId": None}), 200)

    back = await json_of(await client.post(f"{url}/restore", params={"version": 1}), 200)
    assert (back["kind"], back["text"], back["sectionId"]) == ("note", "first", scene["id"])
    versions = await json_of(await sequence.get(f"{API}/versions/note/{note['id']}"), 200)
    assert versions["totalCount"] == 2
    assert versions["items"][0]["comment"] == "before restoring version 1"
    assert (await client.post(f"{url}/restore", params={"version": 9})).status_code == 404


async def test_rules_a_page_break_is_empty_and_sections_stay_in_their_script(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    other = await create_script(client, title="Other")
    foreign = await create_section(client, other["id"])
    brk = await create_markup(client, script["id"], "pageBreak")
    note = await create_markup(client, script["id"], "note")
    before = await row_counts(app)
    refused = [
        await client.post(
            f"{API}/scripts/{script['id']}/markup", json={"kind": "pageBreak", "text": "x"}
        ),
        await client.post(
            f"{API}/scripts/{script['id']}/markup",
            json={"kind": "synopsis", "text": "s", "sectionId": foreign["id"]},
        ),
        await client.patch(f"{API}/markup/{brk['id']}", json={"text": "x"}),
        await client.patch(f"{API}/markup/{note['id']}", json={"text": ""}),
        await client.patch(f"{API}/markup/{note['id']}", json={"sectionId": foreign["id"]}),
    ]
    for response in refused:
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert await row_counts(app) == before
    assert await json_of(await client.get(f"{API}/markup/{note['id']}"), 200) == note


async def test_section_and_script_deletes_cascade_to_markup(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    act = await create_section(client, script["id"], "act")
    scene = await create_section(client, script["id"], parentId=act["id"])
    inside = await create_markup(client, script["id"], "lyric", sectionId=scene["id"])
    outside = await create_markup(client, script["id"], "note")

    section_url = f"{API}/sections/{act['id']}"
    refused = await client.delete(section_url)
    assert refused.status_code == 409
    assert "1 other elements" in refused.json()["detail"]
    assert (await client.delete(section_url, params={"cascade": "true"})).status_code == 204
    assert (await client.get(f"{API}/markup/{inside['id']}")).status_code == 404
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("note", outside["id"]),
    ]
    versions = await json_of(await sequence.get(f"{API}/versions/lyric/{inside['id']}"), 200)
    assert versions["totalCount"] == 1

    token = issuer.token("writer", amr=("otp",), auth_time=int(time.time()))
    async with client_for(app, {"Authorization": f"Bearer {token}"}) as stepped:
        url = f"{API}/scripts/{script['id']}"
        assert (await stepped.delete(url)).status_code == 409
        assert (await stepped.delete(url, params={"cascade": "true"})).status_code == 204
    assert (await row_counts(app))["markup"] == 0
    assert await reading_order(sequence, script["id"]) == []
    assert (f"note:{outside['id']}", "delete") in await outbox_rows(app)
