"""Rules that must hold under concurrency and across kinds: one owner per name or alias in a
script, and an element's paraphrases leave (versioned, restorable) with it."""

from __future__ import annotations

import asyncio

import httpx

from tests.services.characters.support import (
    create_line,
    last_version,
    stage,
)
from tests.services.scripts.support import API, json_of


async def test_concurrent_writers_cannot_both_claim_an_alias(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bodies = [{"scriptId": at.script, "name": f"KID {n}", "aliases": ["THE KID"]} for n in range(8)]
    answers = await asyncio.gather(*(client.post(f"{API}/characters", json=b) for b in bodies))
    assert sorted(answer.status_code for answer in answers) == [201] + [409] * 7, [
        answer.text for answer in answers
    ]
    listed = await json_of(
        await client.get(f"{API}/characters", params={"scriptId": at.script, "name": "the kid"}),
        200,
    )
    assert listed["totalCount"] == 1


async def test_an_elements_paraphrases_leave_with_it_and_come_back(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await json_of(
        await client.post(f"{API}/characters", json={"scriptId": at.script, "name": "BOB"}), 201
    )
    line = await create_line(client, at.script, bob["id"], text="Hi.")
    paraphrase = await json_of(
        await client.post(
            f"{API}/paraphrases",
            json={"elementType": "spokenWord", "elementId": line["id"], "text": "Hello."},
        ),
        201,
    )
    assert (await client.delete(f"{API}/lines/{line['id']}")).status_code == 204
    assert (await client.get(f"{API}/paraphrases/{paraphrase['id']}")).status_code == 404

    back = await client.post(
        f"{API}/lines/{line['id']}/restore",
        params={"version": await last_version(sequence, "spokenWord", line["id"])},
    )
    assert back.status_code == 200, back.text
    again = await client.post(
        f"{API}/paraphrases/{paraphrase['id']}/restore",
        params={"version": await last_version(sequence, "paraphrase", paraphrase["id"])},
    )
    assert again.status_code == 200, again.text
    assert again.json()["text"] == "Hello."
