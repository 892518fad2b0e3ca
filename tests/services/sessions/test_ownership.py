"""A user sees and changes only their own sessions; another's answer 404; admins see all."""

from __future__ import annotations

import httpx

from tests.services.sessions.conftest import ALICE, BOB, SESSIONS, create_session, snapshot


async def test_another_users_session_is_not_found_for_every_operation(
    alice: httpx.AsyncClient, bob: httpx.AsyncClient, root: httpx.AsyncClient
) -> None:
    mine = await create_session(alice, title="Alice's", context=["secret"])
    path = f"{SESSIONS}/{mine['id']}"
    before = await snapshot(root)
    missing = f"{SESSIONS}/999999"
    for method, body in (
        ("GET", None),
        ("PATCH", {"title": "mine now"}),
        ("PUT", {"title": "mine now"}),
        ("DELETE", None),
    ):
        theirs = await bob.request(method, path, json=body)
        nowhere = await bob.request(method, missing, json=body)
        assert theirs.status_code == nowhere.status_code == 404, (method, theirs.text)
        assert theirs.json()["detail"].replace(str(mine["id"]), "N") == nowhere.json()[
            "detail"
        ].replace("999999", "N")
    assert await snapshot(root) == before


async def test_lists_show_only_the_callers_sessions(
    alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    await create_session(alice, title="a1", context=["shared"])
    await create_session(bob, title="b1", context=["shared"])
    for client, title in ((alice, "a1"), (bob, "b1")):
        listed = (await client.get(SESSIONS, params={"context": "shared"})).json()
        assert [item["title"] for item in listed["items"]] == [title]
        assert listed["totalCount"] == 1


async def test_owner_filter_is_for_admins_only(
    alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    await create_session(alice)
    refused = await bob.get(SESSIONS, params={"owner": ALICE.subject})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    own = await bob.get(SESSIONS, params={"owner": BOB.subject})
    assert own.status_code == 200
    assert own.json()["totalCount"] == 0


async def test_admins_see_and_change_everyones_sessions(
    alice: httpx.AsyncClient, bob: httpx.AsyncClient, root: httpx.AsyncClient
) -> None:
    a = await create_session(alice, title="a")
    await create_session(bob, title="b")
    assert (await root.get(SESSIONS)).json()["totalCount"] == 2
    only_alice = (await root.get(SESSIONS, params={"owner": ALICE.subject})).json()
    assert [item["id"] for item in only_alice["items"]] == [a["id"]]
    patched = await root.patch(f"{SESSIONS}/{a['id']}", json={"title": "moderated"})
    assert patched.status_code == 200
    assert patched.json()["owner"] == ALICE.subject  # ownership stays with the creator
    assert (await alice.get(f"{SESSIONS}/{a['id']}")).json()["title"] == "moderated"
    assert (await root.delete(f"{SESSIONS}/{a['id']}")).status_code == 204
    assert (await alice.get(SESSIONS)).json()["totalCount"] == 0
