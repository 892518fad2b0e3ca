"""Many characters, actions or lines in one request: one transaction, one numbering call, every
item checked by its kind's rules; a bad item (named by its index) or a failed numbering writes
nothing."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from fountainai.core.clients import SequenceClient
from fountainai.services.characters.models import Action, Character, SpokenWord, outbox
from tests.services.scripts.support import API, json_of, reading_order
from tests.support.platform import FAST_RETRY, ServedApp


async def new_script(scripts: httpx.AsyncClient) -> tuple[int, int]:
    """A script with one scene: their ids."""
    script = await json_of(await scripts.post(f"{API}/scripts", json={"title": "T"}), 201)
    scene = await json_of(
        await scripts.post(f"{API}/scripts/{script['id']}/sections", json={"kind": "scene"}), 201
    )
    return script["id"], scene["id"]


async def new_character(client: httpx.AsyncClient, script_id: int, name: str) -> int:
    body = {"scriptId": script_id, "name": name}
    character: dict[str, Any] = await json_of(
        await client.post(f"{API}/characters", json=body), 201
    )
    return int(character["id"])


async def two_speakers(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> tuple[int, int, int, dict[str, Any]]:
    """A script with BOB and ANN, and one line of Ann's: the script, Bob, Ann and that line."""
    script_id, _ = await new_script(scripts)
    bob = await new_character(client, script_id, "BOB")
    ann = await new_character(client, script_id, "ANN")
    earlier: dict[str, Any] = await json_of(
        await client.post(
            f"{API}/lines", json={"scriptId": script_id, "characterId": ann, "text": "So?"}
        ),
        201,
    )
    return script_id, bob, ann, earlier


def closed_port_url() -> str:
    """An address nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def row_counts(app: FastAPI) -> dict[str, int]:
    counts: dict[str, int] = {}
    async with app.state.sessionmaker() as session:
        for name, table in [
            ("characters", Character.__table__),
            ("actions", Action.__table__),
            ("lines", SpokenWord.__table__),
            ("outbox", outbox),
        ]:
            query = select(func.count()).select_from(table)
            counts[name] = (await session.execute(query)).scalar_one()
    return counts


async def post_batch(
    client: httpx.AsyncClient, kind: str, script_id: int, items: object, **fields: Any
) -> httpx.Response:
    body = {"scriptId": script_id, "items": items, **fields}
    return await client.post(f"{API}/{kind}/batch", json=body)


async def created_by(
    client: httpx.AsyncClient, kind: str, script_id: int, items: object, **fields: Any
) -> list[dict[str, Any]]:
    """The items a batch that must succeed created."""
    created: list[dict[str, Any]] = (
        await json_of(await post_batch(client, kind, script_id, items, **fields), 201)
    )["items"]
    return created


def keys(items: list[dict[str, Any]], kind: str) -> list[tuple[str, int]]:
    return [(kind, item["id"]) for item in items]


async def test_characters_are_created_in_order_after_existing_elements(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    script_id, scene_id = await new_script(scripts)
    bob = await new_character(client, script_id, "BOB")
    items = [
        {"name": "MARGARET", "aliases": ["MAGGIE"], "description": "The lead."},
        {"name": "TOM"},
        {"name": "O'BRIEN"},
    ]
    created = await created_by(client, "characters", script_id, items, comment="import")
    assert [(c["name"], c["aliases"], c["sequenceNumber"]) for c in created] == [
        ("MARGARET", ["MAGGIE"], 4),
        ("TOM", [], 5),
        ("O'BRIEN", [], 6),
    ]
    assert all(c["scriptId"] == script_id and c["createdBy"] == "writer-1" for c in created)
    assert await reading_order(sequence, script_id) == [
        ("script", script_id),
        ("section", scene_id),
        ("character", bob),
        *keys(created, "character"),
    ]
    margaret = await json_of(await client.get(f"{API}/characters/{created[0]['id']}"), 200)
    assert margaret == created[0]
    async with app.state.sessionmaker() as session:
        queued = (await session.execute(select(outbox.c.document_id))).scalars().all()
    assert {f"character:{c['id']}" for c in created} <= set(queued)


async def test_a_name_taken_in_the_batch_or_the_script_refuses_the_whole_batch(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    script_id, scene_id = await new_script(scripts)
    bob = await new_character(client, script_id, "BOB")
    before = await row_counts(app)

    clashes = [
        ([{"name": "ANN"}, {"name": "TOM"}, {"name": "ann"}], 2),
        ([{"name": "ANN"}, {"name": "TOM", "aliases": ["Ann"]}], 1),
        ([{"name": "ANN"}, {"name": "Bob"}], 1),
        ([{"name": "ANN", "aliases": ["BOB"]}], 0),
    ]
    for items, index in clashes:
        response = await post_batch(client, "characters", script_id, items)
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["detail"].startswith(f"items[{index}]: script {script_id} already has")
        assert problem["item"] == index

    items = [{"name": "TOM"}, {"name": "X", "aliases": ["x"]}]
    own_alias = await post_batch(client, "characters", script_id, items)
    assert own_alias.status_code == 422, own_alias.text
    assert own_alias.json()["detail"].startswith("items[1]: ")
    assert (own_alias.json()["item"], own_alias.json()["field"]) == (1, "aliases")

    assert await row_counts(app) == before
    assert await reading_order(sequence, script_id) == [
        ("script", script_id),
        ("section", scene_id),
        ("character", bob),
    ]


async def test_actions_and_lines_are_numbered_densely_in_item_order(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script_id, scene_id = await new_script(scripts)
    bob = await new_character(client, script_id, "BOB")
    actions = [
        {"text": "Rain.", "sectionId": scene_id},
        {"text": "Bob sits.", "sectionId": scene_id, "characterId": bob, "forced": True},
    ]
    created_actions = await created_by(client, "actions", script_id, actions)
    assert [
        (a["text"], a["characterId"], a["forced"], a["sequenceNumber"]) for a in created_actions
    ] == [
        ("Rain.", None, False, 4),
        ("Bob sits.", bob, True, 5),
    ]

    lines = [
        {"characterId": bob, "text": "Hi.", "sectionId": scene_id, "parenthetical": "quietly"},
        {"characterId": bob, "text": "Bye.", "extensions": ["V.O."], "dual": True},
    ]
    created_lines = await created_by(client, "lines", script_id, lines)
    assert [
        (line["text"], line["sectionId"], line["parenthetical"], line["extensions"], line["dual"])
        for line in created_lines
    ] == [("Hi.", scene_id, "quietly", [], False), ("Bye.", None, "", ["V.O."], True)]
    assert [line["sequenceNumber"] for line in created_lines] == [6, 7]
    # Without speechKey or speechId each line starts its own speech.
    assert [line["speechId"] for line in created_lines] == [line["id"] for line in created_lines]
    assert await reading_order(sequence, script_id) == [
        ("script", script_id),
        ("section", scene_id),
        ("character", bob),
        *keys(created_actions, "action"),
        *keys(created_lines, "spokenWord"),
    ]
    listed = await json_of(await client.get(f"{API}/lines", params={"scriptId": script_id}), 200)
    assert [line["id"] for line in listed["items"]] == [line["id"] for line in created_lines]


async def test_a_batch_at_a_position_goes_in_as_one_block(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script_id, scene_id = await new_script(scripts)
    bob = await new_character(client, script_id, "BOB")
    tail = await json_of(
        await client.post(f"{API}/actions", json={"scriptId": script_id, "text": "The end."}), 201
    )
    lines = [{"characterId": bob, "text": f"Line {n}."} for n in range(3)]
    created = await created_by(client, "lines", script_id, lines, position=3)

    assert [line["sequenceNumber"] for line in created] == [3, 4, 5]
    assert await reading_order(sequence, script_id) == [
        ("script", script_id),
        ("section", scene_id),
        *keys(created, "spokenWord"),
        ("character", bob),
        ("action", tail["id"]),
    ]
    two = [{"name": "ANN"}, {"name": "TOM"}]
    characters = await created_by(client, "characters", script_id, two, position=1)
    assert [c["sequenceNumber"] for c in characters] == [1, 2]
    assert (await reading_order(sequence, script_id))[:3] == [
        *keys(characters, "character"),
        ("script", script_id),
    ]


async def test_lines_with_one_speech_key_form_one_speech(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    script_id, bob, ann, earlier = await two_speakers(client, scripts)
    lines = [
        {"characterId": bob, "text": "One.", "speechKey": "a"},
        {"characterId": bob, "text": "Two.", "speechKey": "a"},
        {"characterId": ann, "text": "Hm.", "speechKey": "b"},
        {"characterId": bob, "text": "Alone."},
        {"characterId": bob, "text": "Three.", "speechKey": "a"},
        {"characterId": ann, "text": "Still me.", "speechId": earlier["id"]},
    ]
    created = await created_by(client, "lines", script_id, lines)
    ids = [line["id"] for line in created]
    speeches = [ids[0], ids[0], ids[2], ids[3], ids[0], earlier["id"]]
    assert [line["speechId"] for line in created] == speeches
    speech = await json_of(
        await client.get(f"{API}/lines", params={"scriptId": script_id, "speechId": ids[0]}), 200
    )
    assert [line["text"] for line in speech["items"]] == ["One.", "Two.", "Three."]

    before = await row_counts(app)
    refused = [
        # A speech has one speaker, also when grouped by key.
        ([*lines[:2], {"characterId": ann, "text": "Me too.", "speechKey": "a"}], 2, "speechId"),
        ([{"characterId": ann, "text": "x", "speechId": ids[0]}], 0, "speechId"),
        ([{"characterId": bob, "text": "x", "speechId": 10**9}], 0, "speechId"),
    ]
    for items, index, field in refused:
        response = await post_batch(client, "lines", script_id, items)
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["detail"].startswith(f"items[{index}]: ")
        assert (problem["item"], problem["field"]) == (index, field)
    malformed = [
        [{"characterId": bob, "text": "x", "speechKey": "a", "speechId": earlier["id"]}],
        [{"characterId": bob, "text": "x", "speechKey": ""}],
        [{"characterId": bob, "text": "x", "speechKey": "k" * 101}],
    ]
    for items in malformed:
        response = await post_batch(client, "lines", script_id, items)
        assert response.status_code == 422, response.text
    response = await post_batch(client, "characters", script_id, [{"name": "X", "speechKey": "a"}])
    assert response.status_code == 422, response.text
    assert await row_counts(app) == before


async def test_a_reference_outside_the_script_refuses_the_whole_batch(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    script_id, scene_id = await new_script(scripts)
    other_script, other_scene = await new_script(scripts)
    bob = await new_character(client, script_id, "BOB")
    stranger = await new_character(client, other_script, "STRANGER")
    before = await row_counts(app)
    order = await reading_order(sequence, script_id)

    good_line = {"characterId": bob, "text": "Hi.", "sectionId": scene_id}
    refused = [
        ("lines", [good_line, {"characterId": stranger, "text": "Hm."}], 1, "characterId"),
        ("lines", [good_line, good_line, {**good_line, "sectionId": other_scene}], 2, "sectionId"),
        ("lines", [{**good_line, "sectionId": 10**9}], 0, "sectionId"),
        ("actions", [{"text": "a"}, {"text": "b", "characterId": stranger}], 1, "characterId"),
        ("actions", [{"text": "a", "sectionId": other_scene}], 0, "sectionId"),
    ]
    for kind, items, index, field in refused:
        response = await post_batch(client, kind, script_id, items)
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["detail"].startswith(f"items[{index}]: {field} ")
        assert (problem["item"], problem["field"]) == (index, field)

    for kind, item in [
        ("lines", good_line),
        ("actions", {"text": "a"}),
        ("characters", {"name": "Z"}),
    ]:
        response = await post_batch(client, kind, 10**9, [item])
        assert response.status_code == 422, response.text
        assert response.json()["field"] == "scriptId"

    assert await row_counts(app) == before
    assert await reading_order(sequence, script_id) == order


async def test_too_many_or_no_items_are_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script_id, _ = await new_script(scripts)
    before = await row_counts(app)
    monkeypatch.setattr(app.state.settings, "max_batch_size", 2)

    three = [{"text": f"a{n}"} for n in range(3)]
    response = await post_batch(client, "actions", script_id, three)
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "at most 2 items per batch"
    for items in [[], [{"text": "a"}] * 5001]:
        response = await post_batch(client, "actions", script_id, items)
        assert response.status_code == 422, response.text
    assert await row_counts(app) == before
    assert len(await created_by(client, "actions", script_id, three[:2])) == 2


async def test_sequence_down_means_503_and_nothing_written_then_a_retry_works(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
    sequence_server: ServedApp,
) -> None:
    script_id, scene_id = await new_script(scripts)
    bob = await new_character(client, script_id, "BOB")
    before = await row_counts(app)
    batches = [
        ("characters", [{"name": "ANN"}, {"name": "TOM"}]),
        ("actions", [{"text": "Rain.", "sectionId": scene_id}, {"text": "Bob sits."}]),
        ("lines", [{"characterId": bob, "text": "Hi.", "speechKey": "a"}] * 2),
    ]
    # Down for this service only: every item is checked and inserted, then numbering fails.
    # (Swapped by hand: monkeypatch's undo deletes what Starlette's State keeps in a dict.)
    reachable = app.state.sequence
    async with SequenceClient(closed_port_url(), retry=FAST_RETRY) as unreachable:
        app.state.sequence = unreachable
        try:
            for kind, items in batches:
                response = await post_batch(client, kind, script_id, items)
                assert response.status_code == 503, response.text
                assert response.headers["content-type"] == "application/problem+json"
                assert response.json()["detail"].startswith("Central Sequence: POST ")
        finally:
            app.state.sequence = reachable
    assert await row_counts(app) == before
    # Down for every service (the Scripts service cannot answer for the script either).
    await sequence_server.stop()
    try:
        for kind, items in batches:
            response = await post_batch(client, kind, script_id, items)
            assert response.status_code == 503, response.text
        assert await row_counts(app) == before
    finally:
        await sequence_server.start()

    created = [await created_by(client, kind, script_id, items) for kind, items in batches]
    assert await reading_order(sequence, script_id) == [
        ("script", script_id),
        ("section", scene_id),
        ("character", bob),
        *keys(created[0], "character"),
        *keys(created[1], "action"),
        *keys(created[2], "spokenWord"),
    ]
    assert created[2][1]["speechId"] == created[2][0]["id"]
