"""generateSequenceNumber: dense per-script numbers, idempotent, insert at a position."""

from __future__ import annotations

import httpx

from tests.services.sequence.conftest import SEQUENCE, allocate, reading_order


async def test_seed_minimal_body_numbers_a_script_in_its_own_order(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(SEQUENCE, json={"elementType": "script", "elementId": 1})
    assert response.status_code == 201
    assert response.json() == {
        "sequenceNumber": 1,
        "elementType": "script",
        "elementId": 1,
        "scriptId": 1,
        "comment": "",
    }


async def test_numbers_are_dense_per_script_and_scripts_are_independent(
    client: httpx.AsyncClient,
) -> None:
    first = [await allocate(client, "action", i, script_id=1) for i in range(1, 4)]
    other = await allocate(client, "action", 10, script_id=2)
    assert [a["sequenceNumber"] for a in first] == [1, 2, 3]
    assert other["sequenceNumber"] == 1
    assert await reading_order(client, 1) == [("action", 1), ("action", 2), ("action", 3)]


async def test_repeat_returns_same_number_with_200(client: httpx.AsyncClient) -> None:
    created = await client.post(
        SEQUENCE, json={"elementType": "section", "elementId": 7, "scriptId": 3, "comment": "a"}
    )
    again = await client.post(
        SEQUENCE, json={"elementType": "section", "elementId": 7, "scriptId": 3, "comment": "a"}
    )
    assert created.status_code == 201
    assert again.status_code == 200
    assert again.json()["sequenceNumber"] == created.json()["sequenceNumber"]
    assert await reading_order(client, 3) == [("section", 7)]


async def test_element_types_share_one_order(client: httpx.AsyncClient) -> None:
    kinds = ["section", "character", "action", "spokenWord", "transition", "note", "lyric"]
    for kind in kinds:
        await allocate(client, kind, 1)
    assert [kind for kind, _ in await reading_order(client)] == kinds


async def test_insert_at_position_shifts_the_rest(client: httpx.AsyncClient) -> None:
    for i in range(1, 4):
        await allocate(client, "action", i)
    placed = await allocate(client, "note", 9, position=1)
    assert placed["sequenceNumber"] == 1
    appended = await allocate(client, "note", 10, position=5)
    assert appended["sequenceNumber"] == 5
    assert await reading_order(client) == [
        ("note", 9),
        ("action", 1),
        ("action", 2),
        ("action", 3),
        ("note", 10),
    ]


async def test_position_past_the_end_is_rejected_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    await allocate(client, "action", 1)
    response = await client.post(
        SEQUENCE, json={"elementType": "action", "elementId": 2, "scriptId": 1, "position": 3}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert await reading_order(client) == [("action", 1)]
    follow_up = await allocate(client, "action", 2)
    assert follow_up["sequenceNumber"] == 2


async def test_element_lives_in_exactly_one_script(client: httpx.AsyncClient) -> None:
    await allocate(client, "action", 1, script_id=1)
    response = await client.post(
        SEQUENCE, json={"elementType": "action", "elementId": 1, "scriptId": 2}
    )
    assert response.status_code == 409
    assert "script 1" in response.json()["detail"]
    assert await reading_order(client, 2) == []


async def test_get_sequence_number(client: httpx.AsyncClient) -> None:
    await allocate(client, "action", 1, script_id=4)
    await allocate(client, "action", 2, script_id=4)
    response = await client.get(f"{SEQUENCE}/action/2")
    assert response.json()["sequenceNumber"] == 2
    assert response.json()["scriptId"] == 4
    missing = await client.get(f"{SEQUENCE}/action/99")
    assert missing.status_code == 404


async def test_list_sequence_window_and_pages(client: httpx.AsyncClient) -> None:
    batch = [{"elementType": "action", "elementId": i} for i in range(1, 11)]
    await client.post(f"{SEQUENCE}/batch", json={"scriptId": 1, "elements": batch})
    window = await client.get(
        SEQUENCE, params={"scriptId": 1, "startSequence": 3, "endSequence": 8, "limit": 2}
    )
    body = window.json()
    assert body["totalCount"] == 6
    assert [i["sequenceNumber"] for i in body["items"]] == [3, 4]
    second = await client.get(
        SEQUENCE,
        params={"scriptId": 1, "startSequence": 3, "endSequence": 8, "limit": 2, "offset": 2},
    )
    assert [i["sequenceNumber"] for i in second.json()["items"]] == [5, 6]
