"""deleteSequenceNumbers: many elements out of one script's order in one transaction, every gap
closed; unnumbered ones skipped (idempotent); another script's element or bad input changes
nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.services.sequence.conftest import SEQUENCE, allocate, reading_order, snapshot
from tests.support.tokens import LocalIssuer

REMOVE = f"{SEQUENCE}/batch/remove"


def refs(*ids: int, kind: str = "action") -> list[dict[str, Any]]:
    return [{"elementType": kind, "elementId": i} for i in ids]


@pytest.fixture
async def ten(client: httpx.AsyncClient) -> None:
    await client.post(f"{SEQUENCE}/batch", json={"scriptId": 1, "elements": refs(*range(1, 11))})


@pytest.mark.usefixtures("ten")
async def test_scattered_removals_leave_the_rest_dense_in_order(
    client: httpx.AsyncClient,
) -> None:
    await allocate(client, "action", 99, script_id=2)
    response = await client.post(
        REMOVE, json={"scriptId": 1, "elements": refs(9, 2, 5, 1, 10), "comment": "cut"}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scriptId"] == 1
    assert body["comment"] == "cut"
    assert body["skipped"] == []
    assert [(e["elementId"], e["removedSequence"]) for e in body["removed"]] == [
        (9, 9),
        (2, 2),
        (5, 5),
        (1, 1),
        (10, 10),
    ]
    assert await reading_order(client) == [("action", i) for i in (3, 4, 6, 7, 8)]
    assert await reading_order(client, 2) == [("action", 99)]
    # The order's length shrank with it: the next element appends right after the rest.
    assert (await allocate(client, "note", 1))["sequenceNumber"] == 6


@pytest.mark.usefixtures("ten")
async def test_one_audit_entry_per_removed_element(client: httpx.AsyncClient) -> None:
    await client.post(REMOVE, json={"scriptId": 1, "elements": refs(4, 7), "comment": "trim"})

    audit = await client.get("/api/v1/audit", params={"action": "remove"})
    entries = audit.json()["items"]
    assert sorted((e["elementId"], e["details"]["sequenceNumber"]) for e in entries) == [
        (4, 4),
        (7, 7),
    ]
    assert {(e["comment"], e["scriptId"], e["actor"]) for e in entries} == {("trim", 1, "writer-1")}


@pytest.mark.usefixtures("ten")
async def test_unnumbered_elements_are_skipped_and_a_retry_is_a_no_op(
    client: httpx.AsyncClient,
) -> None:
    body = {"scriptId": 1, "elements": [*refs(3, 42), *refs(1, kind="note")]}
    first = await client.post(REMOVE, json=body)
    assert first.status_code == 200
    assert [e["elementId"] for e in first.json()["removed"]] == [3]
    assert first.json()["skipped"] == [*refs(42), *refs(1, kind="note")]
    before = await snapshot(client)

    again = await client.post(REMOVE, json=body)

    assert again.status_code == 200
    assert again.json()["removed"] == []
    assert again.json()["skipped"] == body["elements"]
    assert await snapshot(client) == before
    assert len(before["order"]) == 9


async def test_removing_from_a_script_with_no_order_skips_everything(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(REMOVE, json={"scriptId": 5, "elements": refs(1)})
    assert response.status_code == 200
    assert (response.json()["removed"], response.json()["skipped"]) == ([], refs(1))
    assert (await allocate(client, "action", 1, script_id=5))["sequenceNumber"] == 1


@pytest.mark.usefixtures("ten")
async def test_removing_the_whole_order_empties_it(client: httpx.AsyncClient) -> None:
    response = await client.post(REMOVE, json={"scriptId": 1, "elements": refs(*range(10, 0, -1))})
    assert len(response.json()["removed"]) == 10
    assert await reading_order(client) == []
    assert (await allocate(client, "action", 1))["sequenceNumber"] == 1


@pytest.mark.usefixtures("ten")
async def test_an_element_of_another_script_changes_nothing(client: httpx.AsyncClient) -> None:
    await allocate(client, "note", 7, script_id=2)
    before = {"one": await snapshot(client), "two": await reading_order(client, 2)}

    response = await client.post(
        REMOVE, json={"scriptId": 1, "elements": [*refs(2, 3), *refs(7, kind="note")]}
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["elsewhere"] == [{"elementType": "note", "elementId": 7, "scriptId": 2}]
    assert {"one": await snapshot(client), "two": await reading_order(client, 2)} == before


@pytest.mark.usefixtures("ten")
@pytest.mark.parametrize(
    "body",
    [
        {"scriptId": 1, "elements": []},
        {"scriptId": 1, "elements": refs(2, 3, 2)},
        {"scriptId": 1, "elements": refs(*range(1, 5002))},
        {"scriptId": 0, "elements": refs(2)},
        {"elements": refs(2)},
        {"scriptId": 1},
        {"scriptId": 1, "elements": refs(2), "comment": "x" * 2001},
        {"scriptId": 1, "elements": refs(2), "position": 1},
        {"scriptId": 1, "elements": [{"elementType": "dialogue", "elementId": 2}]},
        {"scriptId": 1, "elements": [{"elementType": "action", "elementId": 0}]},
        {"scriptId": 1, "elements": [{"elementType": "action", "elementId": "2"}]},
        [{"scriptId": 1, "elements": refs(2)}],
    ],
)
async def test_bad_input_changes_nothing(client: httpx.AsyncClient, body: Any) -> None:
    before = await snapshot(client)
    response = await client.post(REMOVE, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await snapshot(client) == before


@pytest.mark.usefixtures("ten")
async def test_a_reader_may_not_remove(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    before = await snapshot(client)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sequence.test", headers=issuer.headers("reader")
    ) as reader:
        refused = await reader.post(REMOVE, json={"scriptId": 1, "elements": refs(2)})
        anonymous = await reader.post(
            REMOVE, json={"scriptId": 1, "elements": refs(2)}, headers={"Authorization": ""}
        )
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert anonymous.status_code == 401
    assert await snapshot(client) == before


@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_other_methods_are_405_not_an_element_lookup(
    client: httpx.AsyncClient, method: str
) -> None:
    response = await client.request(method, REMOVE)
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == "POST"
    assert response.headers["content-type"] == "application/problem+json"
