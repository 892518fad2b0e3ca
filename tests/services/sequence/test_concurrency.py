"""Correct under concurrency on both backends: no duplicates, no gaps, valid permutations."""

from __future__ import annotations

import asyncio
import random

import httpx

from tests.services.sequence.conftest import SEQUENCE, allocate, reading_order

CLIENTS = 50


async def test_fifty_concurrent_allocations_give_exactly_one_to_n(
    client: httpx.AsyncClient,
) -> None:
    async def one(element_id: int) -> int:
        number: int = (await allocate(client, "spokenWord", element_id))["sequenceNumber"]
        return number

    numbers = await asyncio.gather(*(one(i) for i in range(1, CLIENTS + 1)))
    assert sorted(numbers) == list(range(1, CLIENTS + 1))
    order = await reading_order(client)
    assert len(order) == CLIENTS
    assert {element_id for _, element_id in order} == set(range(1, CLIENTS + 1))


async def test_concurrent_repeats_of_one_element_get_one_number(
    client: httpx.AsyncClient,
) -> None:
    await allocate(client, "action", 1)
    results = await asyncio.gather(*(allocate(client, "action", 2) for _ in range(20)))
    assert {r["sequenceNumber"] for r in results} == {2}
    assert await reading_order(client) == [("action", 1), ("action", 2)]


async def test_concurrent_inserts_at_positions_stay_dense(client: httpx.AsyncClient) -> None:
    for i in range(1, 11):
        await allocate(client, "action", i)
    rng = random.Random(7)
    await asyncio.gather(
        *(allocate(client, "note", i, position=rng.randint(1, 10)) for i in range(1, 31))
    )
    order = await reading_order(client)
    assert len(order) == 40
    actions = [element_id for kind, element_id in order if kind == "action"]
    assert actions == list(range(1, 11))  # inserts never reorder what was there


async def test_twenty_concurrent_reorders_leave_a_valid_permutation(
    client: httpx.AsyncClient,
) -> None:
    ids = list(range(1, 31))
    await client.post(
        f"{SEQUENCE}/batch",
        json={"scriptId": 1, "elements": [{"elementType": "action", "elementId": i} for i in ids]},
    )
    rng = random.Random(11)

    async def reorder(n: int) -> int:
        if n % 2:
            order = ids[:]
            rng.shuffle(order)
            body = {
                "scriptId": 1,
                "order": [{"elementType": "action", "elementId": i} for i in order],
            }
        else:
            start, count = rng.randint(1, 25), rng.randint(1, 5)
            body = {
                "scriptId": 1,
                "move": {
                    "fromSequence": start,
                    "count": count,
                    "toSequence": rng.randint(1, 31 - count),
                },
            }
        response = await client.put(f"{SEQUENCE}/reorder", json=body)
        return response.status_code

    statuses = await asyncio.gather(*(reorder(n) for n in range(20)))
    assert set(statuses) <= {200, 422}
    assert statuses.count(200) >= 10
    order = await reading_order(client)
    assert sorted(element_id for _, element_id in order) == ids


async def test_concurrent_deletes_and_allocations_stay_dense(client: httpx.AsyncClient) -> None:
    for i in range(1, 21):
        await allocate(client, "action", i)
    deletes = [client.delete(f"{SEQUENCE}/action/{i}") for i in range(1, 21, 2)]
    creates = [allocate(client, "note", i) for i in range(1, 11)]
    await asyncio.gather(*deletes, *creates)
    order = await reading_order(client)
    assert len(order) == 20
    assert [i for kind, i in order if kind == "action"] == list(range(2, 21, 2))
