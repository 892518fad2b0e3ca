"""Contexts: keys set and deleted per write, every change in the history with its revision."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.services.sessions.conftest import CONTEXTS, number

HERO = f"{CONTEXTS}/character/1"


@pytest.fixture(autouse=True)
async def live(sequence: httpx.AsyncClient) -> None:
    """Script 1 with character 1 and section 1, numbered at Central Sequence (so writable)."""
    await number(sequence, "script", 1)
    await number(sequence, "character", 1, script_id=1)
    await number(sequence, "section", 1, script_id=1)


async def put(client: httpx.AsyncClient, values: dict[str, Any], **extra: Any) -> dict[str, Any]:
    response = await client.put(HERO, json={"values": values, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def history(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(f"{HERO}/history", params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_a_target_never_written_is_empty(reader: httpx.AsyncClient) -> None:
    body = (await reader.get(HERO)).json()
    assert body == {
        "targetType": "character",
        "targetId": 1,
        "values": {},
        "revision": 0,
        "updatedAt": None,
    }
    assert await history(reader) == []


async def test_set_merge_delete_and_the_full_history(
    alice: httpx.AsyncClient, bob: httpx.AsyncClient, reader: httpx.AsyncClient
) -> None:
    nested = {"wants": ["revenge", "peace"], "trust": {"bob": 0.5}, "ok": True}
    first = await put(alice, {"mood": "angry, tired", "arc": nested}, comment="intro")
    assert first["revision"] == 1
    assert first["values"] == {"arc": nested, "mood": "angry, tired"}
    second = await put(bob, {"mood": "calm 🙂", "location": "INT. BAR"}, comment="scene 2")
    assert second["revision"] == 2
    assert second["values"] == {"arc": nested, "location": "INT. BAR", "mood": "calm 🙂"}
    third = await put(alice, {"location": None, "missing": None})  # deleting an absent key: no-op
    assert third["revision"] == 3
    assert set(third["values"]) == {"arc", "mood"}
    assert (await reader.get(HERO)).json() == third

    changes = await history(reader)
    assert [(c["revision"], c["key"], c["oldValue"], c["newValue"]) for c in changes] == [
        (3, "location", "INT. BAR", None),
        (2, "location", None, "INT. BAR"),
        (2, "mood", "angry, tired", "calm 🙂"),
        (1, "arc", None, nested),
        (1, "mood", None, "angry, tired"),
    ]
    assert [(c["actor"], c["comment"]) for c in changes[:2]] == [("alice", ""), ("bob", "scene 2")]
    assert changes[-1]["comment"] == "intro"
    moods = await history(reader, key="mood")
    assert [c["newValue"] for c in moods] == ["calm 🙂", "angry, tired"]
    paged = (await reader.get(f"{HERO}/history", params={"limit": 2, "offset": 1})).json()
    assert [c["key"] for c in paged["items"]] == ["location", "mood"]
    assert paged["totalCount"] == 5


async def test_a_write_that_changes_nothing_keeps_revision_and_history(
    alice: httpx.AsyncClient,
) -> None:
    await put(alice, {"count": 1, "flag": True})
    again = await put(alice, {"count": 1, "flag": True, "gone": None})
    assert again["revision"] == 1
    # JSON-equal only: 1 → true and 1 → 1.0 are changes, though Python calls them equal.
    changed = await put(alice, {"count": True, "flag": 1})
    assert changed["revision"] == 2
    assert changed["values"] == {"count": True, "flag": 1}
    assert len(await history(alice)) == 4


async def test_targets_are_separate(alice: httpx.AsyncClient) -> None:
    await put(alice, {"a": 1})
    other = await alice.put(f"{CONTEXTS}/section/1", json={"values": {"a": 2}})
    assert other.json()["revision"] == 1
    assert (await alice.get(HERO)).json()["values"] == {"a": 1}
    assert len(await history(alice)) == 1


async def test_the_whole_context_must_stay_within_the_size_limit(
    alice: httpx.AsyncClient,
) -> None:
    await put(alice, {"a": "x" * 6000})
    too_much = await alice.put(HERO, json={"values": {"b": "y" * 5000}})
    assert too_much.status_code == 422
    assert too_much.headers["content-type"] == "application/problem+json"
    assert "10240" in too_much.json()["detail"]
    fits = await put(alice, {"a": None, "b": "y" * 5000})  # a deletion makes room in one write
    assert set(fits["values"]) == {"b"}
    assert fits["revision"] == 2


async def test_concurrent_writes_to_one_target_get_distinct_revisions(
    alice: httpx.AsyncClient,
) -> None:
    answers = await asyncio.gather(*(put(alice, {f"k{i}": i}) for i in range(8)))
    assert sorted(answer["revision"] for answer in answers) == list(range(1, 9))
    final = (await alice.get(HERO)).json()
    assert final["values"] == {f"k{i}": i for i in range(8)}
    assert sorted(c["revision"] for c in await history(alice)) == list(range(1, 9))
