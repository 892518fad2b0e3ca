"""Batches are set-based: every item is checked against what the batch itself holds (names,
speeches) as well as the database, and all rows go in with a fixed number of statements, however
many items there are; their ids are reserved up front and never handed out twice."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI

from tests.services.characters.test_batch import (
    created_by,
    new_character,
    new_script,
    post_batch,
    row_counts,
    two_speakers,
)
from tests.services.scripts.support import API, json_of
from tests.support.statements import counted_statements


def actions(count: int, scene_id: int, character_id: int) -> list[dict[str, Any]]:
    return [
        {"text": f"Step {n}.", "sectionId": scene_id, "characterId": character_id}
        for n in range(count)
    ]


def lines(count: int, scene_id: int, speakers: list[int]) -> list[dict[str, Any]]:
    """Speeches of three lines each, the speakers taking turns."""
    return [
        {
            "characterId": speakers[(n // 3) % len(speakers)],
            "text": f"Line {n}.",
            "sectionId": scene_id,
            "speechKey": f"s{n // 3}",
        }
        for n in range(count)
    ]


async def statements_for(app: FastAPI, client: httpx.AsyncClient, kind: str, *args: Any) -> int:
    with counted_statements(app.state.engine) as sent:
        await created_by(client, kind, *args)
    return len(sent)


async def test_a_batch_costs_the_same_statements_whatever_its_length(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    script_id, scene_id = await new_script(scripts)
    bob = await new_character(client, script_id, "BOB")
    ann = await new_character(client, script_id, "ANN")

    small = await statements_for(app, client, "actions", script_id, actions(3, scene_id, bob))
    large = await statements_for(app, client, "actions", script_id, actions(300, scene_id, bob))
    assert small == large <= 12

    small = await statements_for(app, client, "lines", script_id, lines(3, scene_id, [bob, ann]))
    large = await statements_for(app, client, "lines", script_id, lines(300, scene_id, [bob, ann]))
    assert small == large <= 12

    names = [[{"name": f"A{n}"} for n in range(2)], [{"name": f"B{n}"} for n in range(100)]]
    small = await statements_for(app, client, "characters", script_id, names[0])
    large = await statements_for(app, client, "characters", script_id, names[1])
    assert small == large <= 12


async def test_speeches_and_names_are_checked_within_the_batch(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    script_id, bob, ann, earlier = await two_speakers(client, scripts)
    before = await row_counts(app)
    refused: list[tuple[str, list[dict[str, Any]], int]] = [
        # The existing speech is Ann's (checked in the database), and the batch keeps it so.
        (
            "lines",
            [
                {"characterId": ann, "text": "Yes.", "speechId": earlier["id"]},
                {"characterId": bob, "text": "No.", "speechId": earlier["id"]},
            ],
            1,
        ),
        # A speech a key starts in the batch has that line's speaker.
        (
            "lines",
            [
                {"characterId": bob, "text": "One.", "speechKey": "k"},
                {"characterId": bob, "text": "Two.", "speechKey": "k"},
                {"characterId": ann, "text": "Three.", "speechKey": "k"},
            ],
            2,
        ),
    ]
    for kind, items, index in refused:
        response = await post_batch(client, kind, script_id, items)
        assert response.status_code == 422, response.text
        assert response.json()["item"] == index
    # Names clash with the script's (409) and with the batch's own, in any case.
    clashes: list[tuple[list[dict[str, Any]], int]] = [
        ([{"name": "CARL"}, {"name": "bob"}], 1),
        ([{"name": "CARL"}, {"name": "DORA", "aliases": ["carl"]}], 1),
    ]
    for names, index in clashes:
        response = await post_batch(client, "characters", script_id, names)
        assert response.status_code == 409, response.text
        assert response.json()["item"] == index
    assert await row_counts(app) == before


async def test_ids_are_never_reused_and_concurrent_batches_never_share_one(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    script_id, scene_id = await new_script(scripts)
    bob = await new_character(client, script_id, "BOB")
    first = await created_by(client, "actions", script_id, actions(5, scene_id, bob))
    newest = first[-1]["id"]
    deleted = await client.delete(f"{API}/actions/{newest}")
    assert deleted.status_code == 204, deleted.text

    again = await created_by(client, "actions", script_id, actions(2, scene_id, bob))
    assert min(action["id"] for action in again) > newest

    batches = await asyncio.gather(
        *(created_by(client, "actions", script_id, actions(40, scene_id, bob)) for _ in range(4))
    )
    ids = [action["id"] for batch in batches for action in batch]
    assert len(set(ids)) == len(ids) == 160
    for batch in batches:  # each batch's ids ascend in item order
        assert [action["id"] for action in batch] == sorted(action["id"] for action in batch)
    listed = await json_of(
        await client.get(f"{API}/actions", params={"scriptId": script_id, "limit": 500}), 200
    )
    assert listed["totalCount"] == 4 + 2 + 160
