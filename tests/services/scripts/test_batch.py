"""Many sections, transitions and markup in one request: one transaction, one numbering call."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.services.scripts.support import (
    API,
    create_script,
    create_section,
    json_of,
    outbox_rows,
    reading_order,
    row_counts,
)

ELEMENTS: list[dict[str, Any]] = [
    {"elementType": "section", "kind": "act", "title": "ACT I", "ref": "act1"},
    {
        "elementType": "section",
        "kind": "scene",
        "parentRef": "act1",
        "ref": "s1",
        "heading": {"prefix": "INT", "location": "LAB", "timeOfDay": "NIGHT"},
    },
    {"elementType": "transition", "text": "CUT TO:", "sectionRef": "s1"},
    {"elementType": "section", "kind": "scene", "parentRef": "act1", "title": "later"},
]


async def test_a_batch_is_created_in_reading_order(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    url = f"{API}/scripts/{script['id']}/elements/batch"
    result = await json_of(
        await client.post(url, json={"elements": ELEMENTS, "comment": "import"}), 201
    )

    created = result["elements"]
    assert [(e["elementType"], e["sequenceNumber"], e["ref"]) for e in created] == [
        ("section", 2, "act1"),
        ("section", 3, "s1"),
        ("transition", 4, None),
        ("section", 5, None),
    ]
    assert await reading_order(sequence, script["id"]) == [("script", script["id"])] + [
        (e["elementType"], e["elementId"]) for e in created
    ]
    scene = await json_of(await client.get(f"{API}/sections/{created[1]['elementId']}"), 200)
    assert scene["parentId"] == created[0]["elementId"]
    cut = await json_of(await client.get(f"{API}/transitions/{created[2]['elementId']}"), 200)
    assert cut["sectionId"] == created[1]["elementId"]
    documents = {document_id for document_id, _ in await outbox_rows(app)}
    assert {f"{e['elementType']}:{e['elementId']}" for e in created} <= documents


async def test_a_batch_inserted_mid_script_shifts_the_rest(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    tail = await create_section(client, script["id"], "act")
    url = f"{API}/scripts/{script['id']}/elements/batch"
    body = {"elements": ELEMENTS[:1], "position": 2}
    result = await json_of(await client.post(url, json=body), 201)
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("section", result["elements"][0]["elementId"]),
        ("section", tail["id"]),
    ]


async def test_a_bad_element_fails_the_whole_batch(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    before = await row_counts(app)
    url = f"{API}/scripts/{script['id']}/elements/batch"
    bad_batches = [
        [*ELEMENTS, {"elementType": "section", "kind": "scene", "parentRef": "nope"}],
        [*ELEMENTS, {"elementType": "section", "kind": "act", "ref": "act1"}],
        [*ELEMENTS, {"elementType": "transition", "text": "X", "sectionId": 10**9}],
        [{"elementType": "section", "kind": "act", "parentId": 1, "parentRef": "a"}],
        [{"elementType": "pageBreak", "text": "la"}],
        [{"elementType": "note"}],
        [{"elementType": "lyric", "text": "la", "kind": "note"}],
        [{"elementType": "paraphrase", "text": "la"}],
        [*ELEMENTS, {"elementType": "synopsis", "text": "s", "sectionRef": "nope"}],
        [{"elementType": "note", "text": "n", "position": 1}],
        [],
    ]
    for elements in bad_batches:
        response = await client.post(url, json={"elements": elements})
        assert response.status_code == 422, response.text
    assert (
        await client.post(f"{API}/scripts/999/elements/batch", json={"elements": ELEMENTS})
    ).status_code == 404
    assert await row_counts(app) == before
    assert await reading_order(sequence, script["id"]) == [("script", script["id"])]


async def test_a_batch_mixes_markup_with_sections_and_transitions(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    elements: list[dict[str, Any]] = [
        {"elementType": "section", "kind": "scene", "ref": "s1"},
        {"elementType": "synopsis", "text": "They meet.", "sectionRef": "s1"},
        {"elementType": "centered", "text": "THE END", "ref": "end"},
        {"elementType": "transition", "text": "FADE OUT.", "sectionRef": "s1"},
        {"elementType": "pageBreak"},
        {"elementType": "lyric", "text": "La la la", "sectionRef": "s1"},
    ]
    url = f"{API}/scripts/{script['id']}/elements/batch"
    created = (await json_of(await client.post(url, json={"elements": elements}), 201))["elements"]
    assert [(e["elementType"], e["sequenceNumber"]) for e in created] == [
        ("section", 2),
        ("synopsis", 3),
        ("centered", 4),
        ("transition", 5),
        ("pageBreak", 6),
        ("lyric", 7),
    ]
    assert await reading_order(sequence, script["id"]) == [("script", script["id"])] + [
        (e["elementType"], e["elementId"]) for e in created
    ]
    listed = await json_of(await client.get(f"{API}/scripts/{script['id']}/markup"), 200)
    assert [(m["kind"], m["text"], m["sectionId"]) for m in listed["items"]] == [
        ("synopsis", "They meet.", created[0]["elementId"]),
        ("centered", "THE END", None),
        ("pageBreak", "", None),
        ("lyric", "La la la", created[0]["elementId"]),
    ]
    documents = {document_id for document_id, _ in await outbox_rows(app)}
    assert {f"{e['elementType']}:{e['elementId']}" for e in created} <= documents
