"""A session links only a live script, a context is written only for a live story element: live
meaning numbered at the real Central Sequence. Refusals (422) and an outage (503) write nothing;
reads never ask, so a deleted element's context and history stay readable."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from fountainai.services.sessions.sessions.service import SessionService
from tests.services.sessions.conftest import (
    CONTEXTS,
    SESSIONS,
    create_session,
    number,
    snapshot,
    unnumber,
)
from tests.support.platform import ServedApp

SCRIPT = 1
HERO = 10  # a character of SCRIPT
GONE = 999_999  # never numbered


@pytest.fixture(autouse=True)
async def live(sequence: httpx.AsyncClient) -> None:
    await number(sequence, "script", SCRIPT)
    await number(sequence, "character", HERO, script_id=SCRIPT)


def refused(response: httpx.Response, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["field"] == field
    return problem


async def test_a_session_links_a_live_script(alice: httpx.AsyncClient) -> None:
    linked = await create_session(alice, scriptId=SCRIPT)
    assert linked["scriptId"] == SCRIPT
    assert (await alice.get(SESSIONS, params={"scriptId": SCRIPT})).json()["totalCount"] == 1


async def test_an_unknown_script_is_refused_and_nothing_is_written(
    alice: httpx.AsyncClient, root: httpx.AsyncClient
) -> None:
    kept = await create_session(alice, title="Kept", scriptId=SCRIPT)
    path = f"{SESSIONS}/{kept['id']}"
    before = await snapshot(root)
    problem = refused(await alice.post(SESSIONS, json={"title": "t", "scriptId": GONE}), "scriptId")
    assert str(GONE) in problem["detail"]
    refused(await alice.put(path, json={"title": "t", "scriptId": GONE}), "scriptId")
    refused(await alice.patch(path, json={"title": "t", "scriptId": GONE}), "scriptId")
    # Only a script: a character's id (numbered, but of another kind) is not one.
    refused(await alice.patch(path, json={"scriptId": HERO}), "scriptId")
    assert await snapshot(root) == before


async def test_a_deleted_script_cannot_be_linked_but_an_existing_link_may_stay(
    alice: httpx.AsyncClient, root: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    await number(sequence, "script", 2)
    session = await create_session(alice, title="On two", scriptId=2)
    other = await create_session(alice, title="Elsewhere", scriptId=SCRIPT)
    await unnumber(sequence, "script", 2)
    before = await snapshot(root)
    refused(await alice.post(SESSIONS, json={"title": "t", "scriptId": 2}), "scriptId")
    refused(await alice.patch(f"{SESSIONS}/{other['id']}", json={"scriptId": 2}), "scriptId")
    refused(
        await alice.put(f"{SESSIONS}/{other['id']}", json={"title": "t", "scriptId": 2}), "scriptId"
    )
    assert await snapshot(root) == before

    path = f"{SESSIONS}/{session['id']}"
    renamed = await alice.patch(path, json={"title": "Renamed", "scriptId": 2})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["scriptId"] == 2
    rewritten = await alice.put(path, json={"title": "Rewritten", "scriptId": 2})
    assert rewritten.status_code == 200, rewritten.text
    unlinked = await alice.patch(path, json={"scriptId": None})
    assert unlinked.json()["scriptId"] is None
    refused(await alice.patch(path, json={"scriptId": 2}), "scriptId")  # gone: not again


async def test_another_users_session_is_404_before_its_script_is_checked(
    alice: httpx.AsyncClient, bob: httpx.AsyncClient, root: httpx.AsyncClient
) -> None:
    mine = await create_session(alice, scriptId=SCRIPT)
    before = await snapshot(root)
    for method in ("PATCH", "PUT"):
        answer = await bob.request(
            method, f"{SESSIONS}/{mine['id']}", json={"title": "t", "scriptId": GONE}
        )
        assert answer.status_code == 404, answer.text
    assert await snapshot(root) == before


@pytest.mark.parametrize(
    "target",
    [
        f"character/{GONE}",  # never numbered
        f"section/{HERO}",  # numbered, but as a character: a section 10 does not exist
        f"script/{HERO}",
    ],
)
async def test_a_context_of_an_unknown_element_is_refused_and_nothing_is_written(
    alice: httpx.AsyncClient, root: httpx.AsyncClient, target: str
) -> None:
    await alice.put(f"{CONTEXTS}/character/{HERO}", json={"values": {"mood": "calm"}})
    before = await snapshot(root, target, f"character/{HERO}")
    response = await alice.put(f"{CONTEXTS}/{target}", json={"values": {"mood": "x"}})
    problem = refused(response, "targetId")
    element_type, element_id = target.split("/")
    assert (problem["targetType"], problem["targetId"]) == (element_type, int(element_id))
    assert target.replace("/", " ") in problem["detail"]
    assert await snapshot(root, target, f"character/{HERO}") == before
    assert before[target]["revision"] == 0


async def test_a_script_and_any_kind_of_live_element_take_a_context(
    alice: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    await number(sequence, "spokenWord", 5, script_id=SCRIPT)
    for target in (f"script/{SCRIPT}", f"character/{HERO}", "spokenWord/5"):
        response = await alice.put(f"{CONTEXTS}/{target}", json={"values": {"seen": True}})
        assert response.status_code == 200, (target, response.text)
        assert response.json()["revision"] == 1


async def test_a_deleted_elements_context_is_read_only_and_keeps_its_history(
    alice: httpx.AsyncClient,
    reader: httpx.AsyncClient,
    root: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    target = f"character/{HERO}"
    await alice.put(f"{CONTEXTS}/{target}", json={"values": {"mood": "dark"}, "comment": "one"})
    await alice.put(f"{CONTEXTS}/{target}", json={"values": {"mood": "light"}})
    await unnumber(sequence, "character", HERO)
    before = await snapshot(root, target)

    refused(await alice.put(f"{CONTEXTS}/{target}", json={"values": {"mood": "x"}}), "targetId")
    assert await snapshot(root, target) == before
    current = await reader.get(f"{CONTEXTS}/{target}")
    assert current.status_code == 200
    assert (current.json()["values"], current.json()["revision"]) == ({"mood": "light"}, 2)
    history = await reader.get(f"{CONTEXTS}/{target}/history")
    assert history.status_code == 200
    assert [c["newValue"] for c in history.json()["items"]] == ["light", "dark"]

    await number(sequence, "character", HERO, script_id=SCRIPT)  # restored: writable again
    again = await alice.put(f"{CONTEXTS}/{target}", json={"values": {"mood": "back"}})
    assert again.status_code == 200
    assert again.json()["revision"] == 3


async def test_central_sequence_down_is_503_with_retry_after_and_nothing_written(
    alice: httpx.AsyncClient, root: httpx.AsyncClient, sequence_server: ServedApp
) -> None:
    session = await create_session(alice, title="Before", context=["a"])
    path = f"{SESSIONS}/{session['id']}"
    target = f"character/{HERO}"
    await alice.put(f"{CONTEXTS}/{target}", json={"values": {"mood": "calm"}})
    before = await snapshot(root, target)
    await sequence_server.stop()
    try:
        for method, url, body in (
            ("POST", SESSIONS, {"title": "t", "scriptId": SCRIPT}),
            ("PUT", path, {"title": "t", "scriptId": SCRIPT}),
            ("PATCH", path, {"scriptId": SCRIPT, "appendContext": ["b"]}),
            ("PUT", f"{CONTEXTS}/{target}", {"values": {"mood": "storm"}}),
        ):
            answer = await alice.request(method, url, json=body)
            assert answer.status_code == 503, (method, url, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert int(answer.headers["retry-after"]) > 0
        assert await snapshot(root, target) == before
        # What needs no reference check goes on: reads, and writes that link nothing.
        assert (await alice.get(f"{CONTEXTS}/{target}/history")).status_code == 200
        renamed = await alice.patch(path, json={"title": "Renamed"})
        assert renamed.status_code == 200, renamed.text
    finally:
        await sequence_server.start()
    linked = await alice.patch(path, json={"scriptId": SCRIPT})
    assert linked.status_code == 200, linked.text


async def test_no_database_connection_is_held_while_central_sequence_is_asked(
    app: FastAPI, alice: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked on the real call: the app's pool has nothing checked out meanwhile."""
    session = await create_session(alice)
    held: list[int] = []
    sequence = app.state.sequence
    ask = sequence.get_number

    async def observed(*args: Any, **kwargs: Any) -> Any:
        held.append(app.state.engine.pool.checkedout())
        return await ask(*args, **kwargs)

    monkeypatch.setattr(sequence, "get_number", observed)
    assert (await alice.post(SESSIONS, json={"title": "t", "scriptId": SCRIPT})).is_success
    assert (await alice.patch(f"{SESSIONS}/{session['id']}", json={"scriptId": SCRIPT})).is_success
    put = await alice.put(f"{CONTEXTS}/character/{HERO}", json={"values": {"k": 1}})
    assert put.is_success
    assert held == [0, 0, 0]


async def test_a_link_changed_while_a_write_was_checked_is_a_conflict(
    alice: httpx.AsyncClient,
    root: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write keeping the session's link (so unchecked) races one relinking it: never writes
    an unchecked link, answers 409 instead (a retry checks it)."""
    await number(sequence, "script", 2)
    session = await create_session(alice, scriptId=SCRIPT)
    path = f"{SESSIONS}/{session['id']}"
    check = SessionService._check_new_script
    raced: list[int] = []

    async def racing(service: SessionService, session_id: int, script_id: int | None) -> Any:
        checked = await check(service, session_id, script_id)
        if not raced:
            raced.append(session_id)
            relinked = await root.patch(path, json={"scriptId": 2})  # the concurrent write
            assert relinked.status_code == 200, relinked.text
        return checked

    monkeypatch.setattr(SessionService, "_check_new_script", racing)
    conflict = await alice.patch(path, json={"title": "Mine", "scriptId": SCRIPT})
    assert conflict.status_code == 409, conflict.text
    assert conflict.headers["content-type"] == "application/problem+json"
    current = (await alice.get(path)).json()
    assert (current["title"], current["scriptId"]) == ("Draft", 2)
