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
from tests.support.statements import counted_statements

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


def scene_with_notes(count: int, parent_id: int) -> list[dict[str, Any]]:
    """``count`` scenes under an existing section, each with a transition and a note."""
    elements: list[dict[str, Any]] = []
    for n in range(count):
        elements += [
            {"elementType": "section", "kind": "scene", "parentId": parent_id, "ref": f"s{n}"},
            {"elementType": "transition", "text": "CUT TO:", "sectionRef": f"s{n}"},
            {"elementType": "note", "text": f"note {n}", "sectionRef": f"s{n}"},
        ]
    return elements


async def test_a_batch_costs_the_same_statements_whatever_its_length(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    act = await create_section(client, script["id"], kind="act")
    url = f"{API}/scripts/{script['id']}/elements/batch"
    sent: list[int] = []
    for count in (2, 150):
        with counted_statements(app.state.engine) as statements:
            created = await json_of(
                await client.post(url, json={"elements": scene_with_notes(count, act["id"])}), 201
            )
        assert len(created["elements"]) == 3 * count
        sent.append(len(statements))
    assert sent[0] == sent[1] <= 20
    tree = await json_of(
        await client.get(f"{API}/scripts/{script['id']}/sections", params={"limit": 500}), 200
    )
    assert {s["parentId"] for s in tree["items"] if s["kind"] == "scene"} == {act["id"]}


async def test_existing_sections_are_checked_against_the_script(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    other = await create_script(client)
    theirs = await create_section(client, other["id"], kind="scene")
    url = f"{API}/scripts/{script['id']}/elements/batch"
    before = await row_counts(app)
    for element in [
        {"elementType": "section", "kind": "scene", "parentId": theirs["id"]},
        {"elementType": "transition", "text": "CUT TO:", "sectionId": theirs["id"]},
        {"elementType": "note", "text": "n", "sectionId": 10**9},
    ]:
        elements = [{"elementType": "pageBreak"}, element]
        response = await client.post(url, json={"elements": elements})
        assert response.status_code == 422, response.text
        assert response.json()["item"] == 1
    assert await row_counts(app) == before


async def test_section_ids_lists_a_scripts_sections_oldest_first(
    client: httpx.AsyncClient,
) -> None:
    script = await create_script(client)
    first = await create_section(client, script["id"], kind="act")
    # Inserted before the first in reading order: the listing is by id, not by order.
    second = await json_of(
        await client.post(
            f"{API}/scripts/{script['id']}/sections", json={"kind": "scene", "position": 1}
        ),
        201,
    )
    listed = await json_of(await client.get(f"{API}/scripts/{script['id']}/section-ids"), 200)
    assert listed == {"scriptId": script["id"], "sectionIds": [first["id"], second["id"]]}
    missing = await client.get(f"{API}/scripts/999999/section-ids")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
