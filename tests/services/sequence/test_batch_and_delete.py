"""Batch allocation (one transaction, in order, idempotent) and removal (the gap closes)."""

from __future__ import annotations

import httpx

from tests.services.sequence.conftest import SEQUENCE, allocate, reading_order, snapshot


async def test_batch_appends_in_order_and_is_idempotent(client: httpx.AsyncClient) -> None:
    await allocate(client, "section", 1)
    elements = [{"elementType": "action", "elementId": i} for i in range(1, 6)]
    first = await client.post(
        f"{SEQUENCE}/batch", json={"scriptId": 1, "elements": elements, "comment": "import"}
    )
    assert first.status_code == 201
    assert [e["sequenceNumber"] for e in first.json()["elements"]] == [2, 3, 4, 5, 6]
    assert all(e["created"] for e in first.json()["elements"])
    again = await client.post(f"{SEQUENCE}/batch", json={"scriptId": 1, "elements": elements})
    assert again.status_code == 200
    assert [e["sequenceNumber"] for e in again.json()["elements"]] == [2, 3, 4, 5, 6]
    assert not any(e["created"] for e in again.json()["elements"])
    assert len(await reading_order(client)) == 6


async def test_batch_mixes_existing_and_new_and_inserts_as_a_block(
    client: httpx.AsyncClient,
) -> None:
    for i in range(1, 4):
        await allocate(client, "action", i)
    elements = [
        {"elementType": "action", "elementId": 3},
        {"elementType": "note", "elementId": 1},
        {"elementType": "note", "elementId": 2},
    ]
    response = await client.post(
        f"{SEQUENCE}/batch", json={"scriptId": 1, "elements": elements, "position": 2}
    )
    numbers = {(e["elementType"], e["elementId"]): e for e in response.json()["elements"]}
    assert numbers["note", 1]["sequenceNumber"] == 2
    assert numbers["note", 2]["sequenceNumber"] == 3
    assert numbers["action", 3]["sequenceNumber"] == 5  # answered after the shift
    assert await reading_order(client) == [
        ("action", 1),
        ("note", 1),
        ("note", 2),
        ("action", 2),
        ("action", 3),
    ]


async def test_batch_with_duplicates_or_foreign_elements_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    await allocate(client, "action", 1, script_id=1)
    await allocate(client, "action", 50, script_id=2)
    before = await snapshot(client)
    dup = [{"elementType": "note", "elementId": 1}, {"elementType": "note", "elementId": 1}]
    response = await client.post(f"{SEQUENCE}/batch", json={"scriptId": 1, "elements": dup})
    assert response.status_code == 422
    foreign = [{"elementType": "note", "elementId": 2}, {"elementType": "action", "elementId": 50}]
    response = await client.post(f"{SEQUENCE}/batch", json={"scriptId": 1, "elements": foreign})
    assert response.status_code == 409
    assert await snapshot(client) == before


async def test_batch_size_limit(client: httpx.AsyncClient) -> None:
    elements = [{"elementType": "action", "elementId": i} for i in range(1, 5002)]
    response = await client.post(f"{SEQUENCE}/batch", json={"scriptId": 1, "elements": elements})
    assert response.status_code == 422
    assert await reading_order(client) == []


async def test_delete_closes_the_gap_and_records_the_comment(client: httpx.AsyncClient) -> None:
    for i in range(1, 5):
        await allocate(client, "action", i)
    response = await client.delete(f"{SEQUENCE}/action/2", params={"comment": "cut line"})
    assert response.status_code == 200
    assert response.json()["removedSequence"] == 2
    assert await reading_order(client) == [("action", 1), ("action", 3), ("action", 4)]
    audit = await client.get("/api/v1/audit", params={"action": "remove"})
    assert audit.json()["items"][0]["comment"] == "cut line"
    again = await client.delete(f"{SEQUENCE}/action/2")
    assert again.status_code == 404
    assert (await allocate(client, "action", 2))["sequenceNumber"] == 4
