"""A script's contexts in one listing: each context filed under the script Central Sequence named
for its element on the write, non-empty ones only, by (targetType, targetId), in pages, with the
`key` and `value` filters."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from fountainai.services.sessions.models import TargetContext
from tests.services.sessions.conftest import CONTEXTS, client_for, number, unnumber

SCRIPT = 1
OTHER = 2


@pytest.fixture(autouse=True)
async def live(sequence: httpx.AsyncClient) -> None:
    """Script 1: characters 1 and 2, section 3, note 4 and spoken word 5; script 2: character 6."""
    await number(sequence, "script", SCRIPT)
    for element_type, element_id in (
        ("character", 1),
        ("character", 2),
        ("section", 3),
        ("note", 4),
        ("spokenWord", 5),
    ):
        await number(sequence, element_type, element_id, script_id=SCRIPT)
    await number(sequence, "script", OTHER)
    await number(sequence, "character", 6, script_id=OTHER)


async def put(client: httpx.AsyncClient, target: str, values: dict[str, Any]) -> dict[str, Any]:
    response = await client.put(f"{CONTEXTS}/{target}", json={"values": values})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def listing(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await client.get(CONTEXTS, params={"scriptId": SCRIPT, **params})
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def targets(page: dict[str, Any]) -> list[str]:
    return [f"{item['targetType']}/{item['targetId']}" for item in page["items"]]


async def test_every_non_empty_context_of_the_script_in_target_order(
    alice: httpx.AsyncClient, reader: httpx.AsyncClient
) -> None:
    written = {
        "section/3": await put(alice, "section/3", {"mood": "tense"}),
        "spokenWord/5": await put(alice, "spokenWord/5", {"tone": "dry"}),
        "character/2": await put(alice, "character/2", {"mood": "calm", "age": 40}),
        "script/1": await put(alice, "script/1", {"genre": "noir"}),
        "character/1": await put(alice, "character/1", {"mood": "angry"}),
    }
    await put(alice, "character/6", {"mood": "angry"})  # script 2's
    await put(alice, "note/4", {"gone": 1})
    await put(alice, "note/4", {"gone": None})  # every key deleted: empty, not listed
    await put(alice, "character/2", {"age": None})

    page = await listing(reader)
    # By type name (byte order), then id.
    assert targets(page) == ["character/1", "character/2", "script/1", "section/3", "spokenWord/5"]
    assert (page["totalCount"], page["limit"], page["offset"]) == (5, 50, 0)
    for item in page["items"]:
        target = f"{item['targetType']}/{item['targetId']}"
        assert item == (await reader.get(f"{CONTEXTS}/{target}")).json()
    assert page["items"][1]["values"] == {"mood": "calm"}
    assert page["items"][1]["revision"] == 2
    assert page["items"][4] == written["spokenWord/5"]

    others = await reader.get(CONTEXTS, params={"scriptId": OTHER})
    assert targets(others.json()) == ["character/6"]


async def test_a_script_without_contexts_is_an_empty_page(reader: httpx.AsyncClient) -> None:
    for script_id in (SCRIPT, 999_999):  # live, and never numbered: reads ask no one
        response = await reader.get(CONTEXTS, params={"scriptId": script_id})
        assert response.status_code == 200
        assert response.json() == {"items": [], "totalCount": 0, "limit": 50, "offset": 0}


async def test_a_target_written_with_deletions_only_is_not_listed(
    alice: httpx.AsyncClient,
) -> None:
    assert (await put(alice, "character/1", {"never": None}))["revision"] == 0
    assert (await listing(alice))["totalCount"] == 0


async def test_pages(alice: httpx.AsyncClient) -> None:
    for target in ("character/1", "character/2", "section/3", "note/4", "spokenWord/5"):
        await put(alice, target, {"k": target})
    whole = targets(await listing(alice))
    assert whole == ["character/1", "character/2", "note/4", "section/3", "spokenWord/5"]
    pages = [await listing(alice, limit=2, offset=offset) for offset in (0, 2, 4, 6)]
    assert [targets(page) for page in pages] == [whole[:2], whole[2:4], whole[4:], []]
    assert {page["totalCount"] for page in pages} == {5}
    assert (pages[1]["limit"], pages[1]["offset"]) == (2, 2)


async def test_key_and_value_filters(alice: httpx.AsyncClient) -> None:
    await put(alice, "character/1", {"mood": "angry", "a.b": "x"})
    await put(alice, "character/2", {"mood": "3"})
    await put(alice, "section/3", {"mood": 3, "a": {"b": "x"}})
    await put(alice, "note/4", {"mood": ["angry"], "other": "angry"})
    await put(alice, "spokenWord/5", {"mood": {"angry": "angry"}})
    await put(alice, "character/6", {"mood": "angry"})  # another script's

    holding = await listing(alice, key="mood")
    assert holding["totalCount"] == 5
    assert targets(await listing(alice, key="other")) == ["note/4"]
    assert (await listing(alice, key="missing"))["totalCount"] == 0
    # A dot is part of the key, never a step into a nested object.
    assert targets(await listing(alice, key="a.b")) == ["character/1"]
    assert targets(await listing(alice, key="a")) == ["section/3"]

    # Only the JSON string equal to `value`: not a number, list or object holding it.
    angry = await listing(alice, key="mood", value="angry")
    assert targets(angry) == ["character/1"]
    assert angry["items"][0]["values"] == {"a.b": "x", "mood": "angry"}  # whole, every key
    assert targets(await listing(alice, key="mood", value="3")) == ["character/2"]
    assert (await listing(alice, key="mood", value="ANGRY"))["totalCount"] == 0
    assert (await listing(alice, key="mood", value=""))["totalCount"] == 0
    await put(alice, "character/2", {"mood": ""})
    assert targets(await listing(alice, key="mood", value="")) == ["character/2"]
    page = await listing(alice, key="mood", limit=1, offset=1)
    assert (targets(page), page["totalCount"]) == (["character/2"], 5)


async def test_text_values_match_exactly(alice: httpx.AsyncClient) -> None:
    text = 'says "no" \\ twice, 🙂 and\nagain'
    await put(alice, "character/1", {"line": text})
    await put(alice, "character/2", {"line": text + " "})
    assert targets(await listing(alice, key="line", value=text)) == ["character/1"]
    assert (await listing(alice, key="line", value="says%"))["totalCount"] == 0


async def test_a_deleted_elements_context_stays_listed(
    alice: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    """Reads never ask Central Sequence (as for one target): callers keep only live elements."""
    await put(alice, "character/2", {"mood": "calm"})
    await unnumber(sequence, "character", 2)
    assert targets(await listing(alice)) == ["character/2"]


async def test_a_row_from_before_scripts_were_kept_is_filed_by_its_next_write(
    app: FastAPI, alice: httpx.AsyncClient
) -> None:
    await put(alice, "character/1", {"mood": "angry"})
    async with app.state.sessionmaker() as session:  # as migration 0002 leaves old rows
        await session.execute(update(TargetContext).values(script_id=None))
        await session.commit()
    assert (await listing(alice))["totalCount"] == 0
    unchanged = await put(alice, "character/1", {"mood": "angry"})  # changes no value
    assert unchanged["revision"] == 1
    assert targets(await listing(alice)) == ["character/1"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"scriptId": 0},
        {"scriptId": -1},
        {"scriptId": "x"},
        {"scriptId": 1.5},
        {"scriptId": 2**63},
        {"scriptId": 1, "limit": 0},
        {"scriptId": 1, "limit": 501},
        {"scriptId": 1, "offset": -1},
        {"scriptId": 1, "key": ""},
        {"scriptId": 1, "key": "a b"},
        {"scriptId": 1, "key": "k" * 101},
        {"scriptId": 1, "value": "x"},  # `value` needs `key`
        {"scriptId": 1, "key": "k", "value": "v" * 2001},
    ],
)
async def test_bad_queries_are_422_problems(
    reader: httpx.AsyncClient, params: dict[str, Any]
) -> None:
    response = await reader.get(CONTEXTS, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 422


async def test_a_nul_in_the_query_is_refused_before_the_endpoint(
    reader: httpx.AsyncClient,
) -> None:
    response = await reader.get(CONTEXTS, params={"scriptId": 1, "key": "k", "value": "a\x00b"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_value_without_key_names_the_field(reader: httpx.AsyncClient) -> None:
    problem = (await reader.get(CONTEXTS, params={"scriptId": 1, "value": "x"})).json()
    assert problem["field"] == "value"
    assert "key" in problem["detail"]


async def test_only_a_token_holder_may_list(app: FastAPI, alice: httpx.AsyncClient) -> None:
    await put(alice, "character/1", {"mood": "angry"})
    async with client_for(app, {}) as anonymous:
        refused = await anonymous.get(CONTEXTS, params={"scriptId": SCRIPT})
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert "character" not in refused.text


def test_the_operation_is_documented(app: FastAPI) -> None:
    operation = app.openapi()["paths"][CONTEXTS]["get"]
    assert operation["operationId"] == "listContexts"
    assert "`value`" in operation["description"]
    assert {p["name"] for p in operation["parameters"]} == {
        "scriptId",
        "key",
        "value",
        "limit",
        "offset",
    }
    assert "422" in operation["responses"]
