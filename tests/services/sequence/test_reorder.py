"""reorderElements: a complete permutation or a block move, atomic; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.services.sequence.conftest import SEQUENCE, allocate, reading_order, snapshot

REORDER = f"{SEQUENCE}/reorder"


def refs(*ids: int) -> list[dict[str, Any]]:
    return [{"elementType": "action", "elementId": i} for i in ids]


@pytest.fixture
async def five(client: httpx.AsyncClient) -> None:
    for i in range(1, 6):
        await allocate(client, "action", i)


@pytest.mark.usefixtures("five")
async def test_complete_order_is_applied(client: httpx.AsyncClient) -> None:
    response = await client.put(
        REORDER, json={"scriptId": 1, "order": refs(5, 1, 2, 3, 4), "comment": "flash-forward"}
    )
    assert response.status_code == 200
    moved = {
        e["elementId"]: (e["oldSequence"], e["newSequence"])
        for e in response.json()["updatedElements"]
    }
    assert moved == {5: (5, 1), 1: (1, 2), 2: (2, 3), 3: (3, 4), 4: (4, 5)}
    assert await reading_order(client) == [("action", i) for i in (5, 1, 2, 3, 4)]


@pytest.mark.usefixtures("five")
async def test_block_move_forward_and_back(client: httpx.AsyncClient) -> None:
    move = {"fromSequence": 1, "count": 2, "toSequence": 4}
    response = await client.put(REORDER, json={"scriptId": 1, "move": move})
    assert response.status_code == 200
    assert await reading_order(client) == [("action", i) for i in (3, 4, 5, 1, 2)]
    back = {"fromSequence": 4, "count": 2, "toSequence": 1}
    await client.put(REORDER, json={"scriptId": 1, "move": back})
    assert await reading_order(client) == [("action", i) for i in (1, 2, 3, 4, 5)]


@pytest.mark.usefixtures("five")
async def test_unchanged_order_moves_nothing(client: httpx.AsyncClient) -> None:
    response = await client.put(REORDER, json={"scriptId": 1, "order": refs(1, 2, 3, 4, 5)})
    assert response.json()["updatedElements"] == []


@pytest.mark.usefixtures("five")
@pytest.mark.parametrize(
    "body",
    [
        {"scriptId": 1, "order": refs(1, 2, 3, 4)},  # missing one
        {"scriptId": 1, "order": refs(1, 2, 3, 4, 5, 6)},  # unknown element
        {"scriptId": 1, "order": refs(1, 1, 2, 3, 4, 5)},  # duplicate
        {"scriptId": 1, "order": refs(1, 2, 3, 4, 4)},  # duplicate replacing one
        {"scriptId": 1, "order": []},
        {"scriptId": 1, "move": {"fromSequence": 4, "count": 3, "toSequence": 1}},
        {"scriptId": 1, "move": {"fromSequence": 1, "count": 2, "toSequence": 5}},
        {"scriptId": 1, "move": {"fromSequence": 0, "count": 1, "toSequence": 1}},
        {
            "scriptId": 1,
            "order": refs(5, 4, 3, 2, 1),
            "move": {"fromSequence": 1, "count": 1, "toSequence": 2},
        },
        {"scriptId": 1},
    ],
)
async def test_invalid_reorders_change_nothing(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    before = await snapshot(client)
    response = await client.put(REORDER, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await snapshot(client) == before


@pytest.mark.usefixtures("five")
async def test_not_a_permutation_names_what_is_wrong(client: httpx.AsyncClient) -> None:
    response = await client.put(REORDER, json={"scriptId": 1, "order": refs(1, 1, 2, 3, 9)})
    problem = response.json()
    assert problem["duplicates"] == refs(1)
    assert problem["unknown"] == refs(9)
    assert {e["elementId"] for e in problem["missing"]} == {4, 5}


async def test_reorder_of_an_unknown_script_is_404(client: httpx.AsyncClient) -> None:
    response = await client.put(REORDER, json={"scriptId": 77, "order": refs(1)})
    assert response.status_code == 404
