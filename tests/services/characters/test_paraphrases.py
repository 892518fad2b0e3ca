"""Paraphrases through the real services: of any live element (this service's or the Scripts
service's, checked at Central Sequence), versioned before every change, restorable, queued for
search, never numbered."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from fountainai.services.characters.models import Paraphrase, outbox
from tests.services.scripts.support import (
    API,
    create_script,
    create_section,
    create_transition,
    json_of,
    reading_order,
)

PARAPHRASES = f"{API}/paraphrases"


async def story(client: httpx.AsyncClient, scripts: httpx.AsyncClient) -> dict[str, int]:
    """A script with a scene, a transition, a character, an action and a line: ids by kind."""
    script = await create_script(scripts)
    scene = await create_section(scripts, script["id"])
    cut = await create_transition(scripts, script["id"])
    ids = {"scriptId": script["id"], "sectionId": scene["id"]}
    bob = await json_of(
        await client.post(f"{API}/characters", json={"scriptId": script["id"], "name": "BOB"}),
        201,
    )
    action = await json_of(
        await client.post(f"{API}/actions", json={**ids, "text": "Bob sits."}), 201
    )
    line = await json_of(
        await client.post(f"{API}/lines", json={**ids, "characterId": bob["id"], "text": "No."}),
        201,
    )
    return {
        "script": script["id"],
        "section": scene["id"],
        "transition": cut["id"],
        "character": bob["id"],
        "action": action["id"],
        "spokenWord": line["id"],
    }


async def paraphrase(
    client: httpx.AsyncClient, element_type: str, element_id: int, text: str = "Nope.", **more: Any
) -> dict[str, Any]:
    body = {"elementType": element_type, "elementId": element_id, "text": text, **more}
    created: dict[str, Any] = await json_of(await client.post(PARAPHRASES, json=body), 201)
    return created


async def rows(app: FastAPI) -> tuple[int, int]:
    """How many paraphrases and outbox rows the characters service holds."""
    async with app.state.sessionmaker() as session:
        paraphrases = await session.scalar(select(func.count()).select_from(Paraphrase))
        queued = await session.scalar(select(func.count()).select_from(outbox))
    return int(paraphrases or 0), int(queued or 0)


async def queued_for(app: FastAPI, paraphrase_id: int) -> list[tuple[str, dict[str, Any] | None]]:
    async with app.state.sessionmaker() as session:
        result = await session.execute(
            select(outbox.c.operation, outbox.c.payload)
            .where(outbox.c.document_id == f"paraphrase:{paraphrase_id}")
            .order_by(outbox.c.id)
        )
        return [(operation, payload) for operation, payload in result]


async def test_any_live_element_can_be_paraphrased_and_gives_its_script(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    first = await story(client, scripts)
    other = await create_script(scripts, title="Other")
    elsewhere = await create_transition(scripts, other["id"], text="SMASH CUT TO:")
    order_before = await reading_order(sequence, first["script"])

    for kind in ("spokenWord", "action", "character", "section", "transition", "script"):
        made = await paraphrase(client, kind, first[kind], f"{kind} again", commentary="why")
        assert (made["elementType"], made["elementId"], made["scriptId"]) == (
            kind,
            first[kind],
            first["script"],
        )
        assert (made["text"], made["commentary"], made["createdBy"]) == (
            f"{kind} again",
            "why",
            "writer-1",
        )
        assert "sequenceNumber" not in made
        assert await json_of(await client.get(f"{PARAPHRASES}/{made['id']}"), 200) == made
    remote = await paraphrase(client, "transition", elsewhere["id"])
    assert (remote["scriptId"], remote["commentary"]) == (other["id"], "")
    # Paraphrases are not in the reading order.
    assert await reading_order(sequence, first["script"]) == order_before


async def test_a_paraphrase_needs_a_live_target_and_bad_input_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    ids = await story(client, scripts)
    existing = await paraphrase(client, "spokenWord", ids["spokenWord"])
    second_line = await json_of(
        await client.post(
            f"{API}/lines",
            json={"scriptId": ids["script"], "characterId": ids["character"], "text": "Again."},
        ),
        201,
    )
    assert second_line["id"] not in (ids["character"], ids["action"])
    before = await rows(app)
    refused_targets = [
        ("spokenWord", 999),
        # A line's id names no character or action, a transition's no note: the type counts.
        ("character", second_line["id"]),
        ("action", second_line["id"]),
        ("note", ids["transition"]),
    ]
    for kind, element_id in refused_targets:
        response = await client.post(
            PARAPHRASES, json={"elementType": kind, "elementId": element_id, "text": "x"}
        )
        assert response.status_code == 422, (kind, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["field"] == "elementId"
    good = {"elementType": "spokenWord", "elementId": ids["spokenWord"], "text": "x"}
    for bad in (
        {**good, "elementType": "paraphrase", "elementId": existing["id"]},
        {**good, "elementType": "scene"},
        {**good, "elementId": str(ids["spokenWord"])},
        {**good, "elementId": 0},
        {**good, "text": ""},
        {**good, "text": "x" * 10_001},
        {**good, "commentary": "x" * 10_001},
        {**good, "commentary": None},
        {**good, "scriptId": ids["script"]},
        {"elementType": "spokenWord", "text": "x"},
    ):
        response = await client.post(PARAPHRASES, json=bad)
        assert response.status_code == 422, (bad, response.text)
    assert await rows(app) == before
    # The well-formed body itself is accepted: each refusal above was for its one flaw.
    await json_of(await client.post(PARAPHRASES, json=good), 201)


async def test_listings_filter_by_element_or_script_oldest_first(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    ids = await story(client, scripts)
    other = await story(client, scripts)
    on_line = [await paraphrase(client, "spokenWord", ids["spokenWord"], f"l{n}") for n in range(3)]
    on_action = await paraphrase(client, "action", ids["action"])
    on_character = await paraphrase(client, "character", ids["character"])
    on_scene = await paraphrase(client, "section", ids["section"])
    elsewhere = await paraphrase(client, "spokenWord", other["spokenWord"])

    async def listed(url: str = PARAPHRASES, /, **params: str | int) -> tuple[list[int], int]:
        page = await json_of(await client.get(url, params=params), 200)
        return [item["id"] for item in page["items"]], page["totalCount"]

    line: dict[str, str | int] = {"elementType": "spokenWord", "elementId": ids["spokenWord"]}
    assert await listed(**line) == ([p["id"] for p in on_line], 3)
    assert await listed(**line, limit=1, offset=1) == ([on_line[1]["id"]], 3)
    assert await listed(scriptId=ids["script"]) == (
        [p["id"] for p in [*on_line, on_action, on_character, on_scene]],
        6,
    )
    assert await listed(scriptId=other["script"]) == ([elsewhere["id"]], 1)
    assert await listed(**line, scriptId=other["script"]) == ([], 0)
    assert await listed(elementType="section", elementId=ids["section"]) == ([on_scene["id"]], 1)
    assert await listed(scriptId=999) == ([], 0)

    assert await listed(f"{API}/lines/{ids['spokenWord']}/paraphrases") == (
        [p["id"] for p in on_line],
        3,
    )
    assert await listed(f"{API}/actions/{ids['action']}/paraphrases") == ([on_action["id"]], 1)
    assert await listed(f"{API}/characters/{ids['character']}/paraphrases") == (
        [on_character["id"]],
        1,
    )
    for kind in ("lines", "actions", "characters"):
        missing = await client.get(f"{API}/{kind}/999/paraphrases")
        assert missing.status_code == 404, missing.text

    unfiltered: list[dict[str, str | int]] = [
        {},
        {"elementType": "spokenWord"},
        {"elementId": ids["spokenWord"]},
        {"elementType": "scene", "elementId": 1},
        {"scriptId": 0},
    ]
    for params in unfiltered:
        response = await client.get(PARAPHRASES, params=params)
        assert response.status_code == 422, (params, response.text)


async def test_changes_are_versioned_and_restore_brings_back_the_exact_wording(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    ids = await story(client, scripts)
    original = await paraphrase(
        client, "action", ids["action"], "Bob  sits.\nHeavily.", commentary="  spaced  "
    )
    url = f"{PARAPHRASES}/{original['id']}"
    changed = await json_of(
        await client.patch(url, json={"text": "Bob slumps.", "comment": "tighter"}), 200
    )
    assert (changed["text"], changed["commentary"]) == ("Bob slumps.", "  spaced  ")
    assert changed["updatedAt"] >= original["updatedAt"]
    await json_of(await client.patch(url, json={"commentary": ""}), 200)
    for bad in ({"text": None}, {"commentary": None}, {"elementId": 5}, {"text": ""}):
        response = await client.patch(url, json=bad)
        assert response.status_code == 422, (bad, response.text)

    versions_url = f"{API}/versions/paraphrase/{original['id']}"
    versions = await json_of(await sequence.get(versions_url), 200)
    assert versions["totalCount"] == 2
    first = await json_of(await sequence.get(f"{versions_url}/1"), 200)
    assert (first["scriptId"], first["comment"]) == (ids["script"], "tighter")
    assert (first["data"]["text"], first["data"]["commentary"]) == (
        "Bob  sits.\nHeavily.",
        "  spaced  ",
    )

    restored = await json_of(
        await client.post(f"{url}/restore", params={"version": 1, "comment": "undo"}), 200
    )
    assert (restored["text"], restored["commentary"]) == ("Bob  sits.\nHeavily.", "  spaced  ")
    assert (restored["id"], restored["elementId"], restored["scriptId"]) == (
        original["id"],
        ids["action"],
        ids["script"],
    )
    latest = await json_of(await sequence.get(f"{versions_url}/3"), 200)
    assert (latest["data"]["text"], latest["data"]["commentary"], latest["comment"]) == (
        "Bob slumps.",
        "",
        "undo",
    )
    assert (await client.post(f"{url}/restore", params={"version": 9})).status_code == 404
    assert (await client.patch(f"{PARAPHRASES}/999", json={"text": "x"})).status_code == 404


async def test_a_deleted_paraphrase_comes_back_while_its_element_exists(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    ids = await story(client, scripts)
    kept = await paraphrase(client, "spokenWord", ids["spokenWord"], "Never.", commentary="c")
    url = f"{PARAPHRASES}/{kept['id']}"
    await json_of(await client.patch(url, json={"text": "Not ever."}), 200)
    deleted = await client.delete(url, params={"comment": "cut"})
    assert deleted.status_code == 204, deleted.text
    assert (await client.get(url)).status_code == 404
    assert (await client.delete(url)).status_code == 404

    back = await json_of(await client.post(f"{url}/restore", params={"version": 1}), 200)
    assert (back["id"], back["text"], back["commentary"], back["scriptId"]) == (
        kept["id"],
        "Never.",
        "c",
        ids["script"],
    )
    assert await json_of(await client.get(url), 200) == back
    queued = await queued_for(app, kept["id"])
    assert [operation for operation, _ in queued] == ["upsert", "upsert", "delete", "upsert"]
    document = queued[-1][1]
    assert document is not None
    assert {k: document[k] for k in ("elementType", "id", "text", "targetType", "targetId")} == {
        "elementType": "paraphrase",
        "id": kept["id"],
        "text": "Never.",
        "targetType": "spokenWord",
        "targetId": ids["spokenWord"],
    }
    assert queued[2][1] is None

    # Once the line is gone, its deleted paraphrase cannot come back.
    assert (await client.delete(url)).status_code == 204
    assert (await client.delete(f"{API}/lines/{ids['spokenWord']}")).status_code == 204
    before = await rows(app)
    refused = await client.post(f"{url}/restore", params={"version": 1})
    assert refused.status_code == 409, refused.text
    assert await rows(app) == before


async def test_a_reader_reads_but_cannot_write(
    app: FastAPI,
    client: httpx.AsyncClient,
    reader_client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
) -> None:
    ids = await story(client, scripts)
    made = await paraphrase(client, "character", ids["character"])
    url = f"{PARAPHRASES}/{made['id']}"
    before = await rows(app)
    body = {"elementType": "character", "elementId": ids["character"], "text": "x"}
    for response in (
        await reader_client.post(PARAPHRASES, json=body),
        await reader_client.patch(url, json={"text": "y"}),
        await reader_client.delete(url),
        await reader_client.post(f"{url}/restore", params={"version": 1}),
    ):
        assert response.status_code == 403, response.text
    assert await rows(app) == before
    assert await json_of(await reader_client.get(url), 200) == made
    listed = await json_of(
        await reader_client.get(f"{API}/characters/{ids['character']}/paraphrases"), 200
    )
    assert [item["id"] for item in listed["items"]] == [made["id"]]
