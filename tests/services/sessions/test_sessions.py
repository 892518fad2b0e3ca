"""Sessions: CRUD with real PATCH/PUT semantics, the context list kept exactly, filters, sorting."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.services.sessions.models import SessionAudit
from tests.services.sessions.conftest import ALICE, SESSIONS, create_session, number


@pytest.fixture(autouse=True)
async def live_scripts(sequence: httpx.AsyncClient) -> None:
    """The scripts these tests link, numbered at Central Sequence (so they exist)."""
    for script_id in (1, 2, 3, 4, 7):
        await number(sequence, "script", script_id)


AWKWARD = [
    "a, b, c",
    'she said "no", then left',
    "line one\nline two\r\n\ttabbed",
    "emoji 🎬🎭 and ünïcödé",
    "",
    '["json-looking", 1]',
    "'single' \\ backslash",
    "x" * 2000,
]


async def test_create_and_read_back_keeps_every_context_string_exactly(
    alice: httpx.AsyncClient,
) -> None:
    created = await create_session(alice, title="Act one 🎬", scriptId=7, context=AWKWARD)
    assert created["context"] == AWKWARD
    assert created["owner"] == ALICE.subject
    assert created["ownerName"] == "alice"
    assert created["scriptId"] == 7
    assert created["createdAt"] == created["updatedAt"]
    fetched = (await alice.get(f"{SESSIONS}/{created['id']}")).json()
    assert fetched == created
    listed = (await alice.get(SESSIONS)).json()
    assert listed["totalCount"] == 1
    assert listed["items"][0]["context"] == AWKWARD


async def test_patch_changes_only_given_fields_and_appends(alice: httpx.AsyncClient) -> None:
    created = await create_session(alice, title="T", scriptId=3, context=["one"])
    path = f"{SESSIONS}/{created['id']}"
    renamed = (await alice.patch(path, json={"title": "Renamed"})).json()
    assert (renamed["title"], renamed["scriptId"], renamed["context"]) == ("Renamed", 3, ["one"])
    assert renamed["updatedAt"] >= created["updatedAt"]
    appended = (await alice.patch(path, json={"appendContext": ["two, three", "four"]})).json()
    assert appended["context"] == ["one", "two, three", "four"]
    replaced = (
        await alice.patch(path, json={"context": ["fresh"], "appendContext": ["after"]})
    ).json()
    assert replaced["context"] == ["fresh", "after"]
    unlinked = (await alice.patch(path, json={"scriptId": None})).json()
    assert unlinked["scriptId"] is None
    assert unlinked["title"] == "Renamed"


async def test_patch_refuses_nulls_and_overflowing_appends(alice: httpx.AsyncClient) -> None:
    created = await create_session(alice, context=["x"] * 499)
    path = f"{SESSIONS}/{created['id']}"
    for body in ({"title": None}, {"context": None}, {"appendContext": None}):
        assert (await alice.patch(path, json=body)).status_code == 422, body
    response = await alice.patch(path, json={"appendContext": ["y", "z"]})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert (await alice.get(path)).json() == created


async def test_put_replaces_everything(alice: httpx.AsyncClient) -> None:
    created = await create_session(alice, title="Old", scriptId=4, context=["a"])
    path = f"{SESSIONS}/{created['id']}"
    replaced = (await alice.put(path, json={"title": "New"})).json()
    assert (replaced["title"], replaced["scriptId"], replaced["context"]) == ("New", None, [])
    assert replaced["createdAt"] == created["createdAt"]
    assert (await alice.put(path, json={"scriptId": 1})).status_code == 422  # title required


async def test_delete_then_gone_and_the_audit_keeps_each_comment(
    app: FastAPI, alice: httpx.AsyncClient
) -> None:
    created = await create_session(alice, comment="start")
    path = f"{SESSIONS}/{created['id']}"
    await alice.patch(path, json={"title": "B", "comment": "rename"})
    await alice.put(path, json={"title": "C", "comment": "rewrite"})
    deleted = await alice.delete(path, params={"comment": "done, thanks"})
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert (await alice.get(path)).status_code == 404
    assert (await alice.delete(path)).status_code == 404
    async with app.state.sessionmaker() as db:
        trail = (await db.scalars(select(SessionAudit).order_by(SessionAudit.id))).all()
    assert [(e.action, e.comment, e.actor) for e in trail] == [
        ("create", "start", "alice"),
        ("update", "rename", "alice"),
        ("replace", "rewrite", "alice"),
        ("delete", "done, thanks", "alice"),
    ]
    assert {e.owner for e in trail} == {ALICE.subject}


async def test_filters_by_script_and_exact_context_value(alice: httpx.AsyncClient) -> None:
    first = await create_session(alice, title="1", scriptId=1, context=["a, b", "mood: dark"])
    second = await create_session(alice, title="2", scriptId=2, context=["a", "b"])
    third = await create_session(alice, title="3", context=['quote "q"', "🎭"])

    async def ids(**params: Any) -> list[int]:
        response = await alice.get(SESSIONS, params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids(scriptId=1) == [first["id"]]
    assert await ids(context="a, b") == [first["id"]]  # whole item, not split at the comma
    assert await ids(context="a") == [second["id"]]  # not a substring of "a, b"
    assert await ids(context="mood") == []
    assert await ids(context='quote "q"') == [third["id"]]
    assert await ids(context="🎭") == [third["id"]]
    assert await ids(context="b", scriptId=1) == []
    assert await ids(context="b", scriptId=2) == [second["id"]]


async def test_sorting_and_pagination(alice: httpx.AsyncClient) -> None:
    made = [await create_session(alice, title=title) for title in ("bravo", "alpha", "charlie")]
    await alice.patch(f"{SESSIONS}/{made[1]['id']}", json={"comment": "touch"})

    async def titles(sort: str, **params: Any) -> list[str]:
        response = await alice.get(SESSIONS, params={"sort": sort, **params})
        assert response.status_code == 200, response.text
        return [item["title"] for item in response.json()["items"]]

    assert await titles("createdAt") == ["bravo", "alpha", "charlie"]
    assert await titles("-createdAt") == ["charlie", "alpha", "bravo"]
    assert await titles("title") == ["alpha", "bravo", "charlie"]
    assert await titles("-title") == ["charlie", "bravo", "alpha"]
    assert (await titles("-updatedAt"))[0] == "alpha"
    assert (await titles("updatedAt"))[-1] == "alpha"
    page = (await alice.get(SESSIONS, params={"sort": "title", "limit": 2, "offset": 1})).json()
    assert [item["title"] for item in page["items"]] == ["bravo", "charlie"]
    assert (page["totalCount"], page["limit"], page["offset"]) == (3, 2, 1)
    assert (await alice.get(SESSIONS, params={"sort": "owner"})).status_code == 422
