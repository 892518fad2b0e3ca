"""User admin: list, filter, change roles (old tokens die), disable, keep one enabled admin."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from fastapi import FastAPI

from tests.services.kms.account_factories import (
    audit_rows,
    bootstrap_admin,
    claims,
    login,
    me,
    refresh,
    register,
    stepped_up,
    tokens,
    user_with_tokens,
)
from tests.services.kms.api_key_factories import create_key
from tests.services.kms.conftest import API, bearer


async def patch_user(
    client: httpx.AsyncClient, admin: dict[str, str], user_id: str, **change: object
) -> httpx.Response:
    return await client.patch(f"{API}/users/{user_id}", json=change, headers=admin)


async def test_users_me_shows_the_callers_account(client: httpx.AsyncClient) -> None:
    user, pair = await user_with_tokens(client, await bootstrap_admin(client), "alice")

    response = await me(client, pair["access_token"])

    assert response.status_code == 200
    assert response.json() == user


async def test_admins_list_and_filter_users(client: httpx.AsyncClient) -> None:
    admin = await bootstrap_admin(client)
    for name, roles in (("alice", ["writer"]), ("al_ex", ["reader"]), ("bob", ["reader"])):
        await register(client, name, roles=roles, headers=admin)

    everyone = (await client.get(f"{API}/users", headers=admin)).json()
    readers = (await client.get(f"{API}/users?role=reader", headers=admin)).json()
    prefixed = (await client.get(f"{API}/users?usernamePrefix=AL", headers=admin)).json()
    underscore = (await client.get(f"{API}/users?usernamePrefix=al_", headers=admin)).json()
    paged = (await client.get(f"{API}/users?limit=1&offset=1", headers=admin)).json()

    assert [u["username"] for u in everyone["items"]] == ["admin", "al_ex", "alice", "bob"]
    assert everyone["totalCount"] == 4
    assert [u["username"] for u in readers["items"]] == ["al_ex", "bob"]
    assert [u["username"] for u in prefixed["items"]] == ["al_ex", "alice"]
    assert [u["username"] for u in underscore["items"]] == ["al_ex"]  # "_" is no wildcard
    assert (paged["totalCount"], [u["username"] for u in paged["items"]]) == (4, ["al_ex"])


async def test_admins_get_one_user(client: httpx.AsyncClient) -> None:
    admin = await bootstrap_admin(client)
    alice = await register(client, "alice", headers=admin)

    found = await client.get(f"{API}/users/{alice['id']}", headers=admin)
    missing = await client.get(f"{API}/users/{uuid.uuid4()}", headers=admin)
    malformed = await client.get(f"{API}/users/not-a-uuid", headers=admin)

    assert found.json() == alice
    assert missing.status_code == 404
    assert malformed.status_code == 422


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/users"),
        ("GET", f"/users/{uuid.UUID(int=1)}"),
        ("PATCH", f"/users/{uuid.UUID(int=2)}"),
    ],
)
async def test_user_admin_needs_the_admin_role(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    _, pair = await user_with_tokens(client, await bootstrap_admin(client), "writer1", ["writer"])

    anonymous = await client.request(method, f"{API}{path}", json={"disabled": True})
    writer = await client.request(
        method, f"{API}{path}", json={"disabled": True}, headers=bearer(pair["access_token"])
    )

    assert anonymous.status_code == 401
    assert writer.status_code == 403
    assert writer.headers["content-type"] == "application/problem+json"


async def test_a_role_change_kills_tokens_with_the_old_roles(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    user, old = await user_with_tokens(client, admin, "alice", ["writer"])

    response = await patch_user(client, admin, user["id"], roles=["reader"])

    assert response.status_code == 200, response.text
    assert response.json()["roles"] == ["reader"]
    assert (await me(client, old["access_token"])).status_code == 401
    assert (await refresh(client, old["refresh_token"])).status_code == 401
    fresh = await tokens(client, "alice")
    assert claims(fresh["access_token"])["roles"] == ["reader"]
    (event,) = await audit_rows(app, "roleChange")
    assert event.details == {"username": "alice", "before": ["writer"], "after": ["reader"]}
    assert (event.actor, event.target) == ("admin", user["id"])
    assert event.request_id


async def test_an_unchanged_role_set_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    user, pair = await user_with_tokens(client, admin, "alice", ["writer"])

    response = await patch_user(client, admin, user["id"], roles=["writer"])

    assert response.status_code == 200
    assert (await me(client, pair["access_token"])).status_code == 200
    assert await audit_rows(app, "roleChange") == []


async def test_disabling_ends_every_session_and_login(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    user, pair = await user_with_tokens(client, admin, "alice")

    disabled = await patch_user(client, admin, user["id"], disabled=True)

    assert disabled.json()["disabled"] is True
    assert (await me(client, pair["access_token"])).status_code == 401
    assert (await refresh(client, pair["refresh_token"])).status_code == 401
    assert (await login(client, "alice")).status_code == 401
    listed = (await client.get(f"{API}/users?disabled=true", headers=admin)).json()
    assert [u["username"] for u in listed["items"]] == ["alice"]

    enabled = await patch_user(client, admin, user["id"], disabled=False)

    assert enabled.json()["disabled"] is False
    assert (await login(client, "alice")).status_code == 200
    assert [e.event for e in await audit_rows(app) if e.event.startswith("account")] == [
        "accountDisable", "accountEnable",
    ]  # fmt: skip


@pytest.mark.parametrize("change", [{"roles": ["writer"]}, {"disabled": True}])
async def test_the_last_enabled_admin_cannot_be_removed(
    client: httpx.AsyncClient, app: FastAPI, change: dict[str, object]
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    me_id = (await client.get(f"{API}/users/me", headers=admin)).json()["id"]

    response = await client.patch(f"{API}/users/{me_id}", json=change, headers=admin)

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"{API}/users/me", headers=admin)).json()["roles"] == ["admin"]
    (event,) = await audit_rows(app, "roleChange")
    assert (event.outcome, event.details) == ("failure", {"reason": "lastAdmin"})


async def test_self_demotion_is_allowed_while_another_admin_remains(
    client: httpx.AsyncClient,
    app: FastAPI,
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    second, second_pair = await user_with_tokens(client, admin, "root2", ["admin"])
    second_admin = await stepped_up(app, bearer(second_pair["access_token"]))
    me_id = (await client.get(f"{API}/users/me", headers=admin)).json()["id"]

    demoted = await client.patch(f"{API}/users/{me_id}", json={"roles": ["reader"]}, headers=admin)

    assert demoted.status_code == 200, demoted.text
    last = await patch_user(client, second_admin, second["id"], disabled=True)
    assert last.status_code == 409


async def test_a_disabled_admin_does_not_count(
    client: httpx.AsyncClient,
    app: FastAPI,
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    second, _ = await user_with_tokens(client, admin, "root2", ["admin"])
    assert (await patch_user(client, admin, second["id"], disabled=True)).status_code == 200
    me_id = (await client.get(f"{API}/users/me", headers=admin)).json()["id"]

    response = await patch_user(client, admin, me_id, roles=["writer"])

    assert response.status_code == 409


@pytest.mark.parametrize(
    "change", [{"roles": []}, {"roles": ["root"]}, {"disabled": "maybe"}, {"username": "x"}]
)
async def test_bad_changes_are_422(
    client: httpx.AsyncClient, app: FastAPI, change: dict[str, object]
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    alice = await register(client, "alice", headers=admin)

    assert (await patch_user(client, admin, alice["id"], **change)).status_code == 422


async def test_patching_an_unknown_user_is_404(
    client: httpx.AsyncClient,
    app: FastAPI,
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))

    assert (await patch_user(client, admin, str(uuid.uuid4()), disabled=True)).status_code == 404


async def test_two_admins_disabling_each_other_at_once_leave_one(
    client: httpx.AsyncClient,
    app: FastAPI,
) -> None:
    admin = await stepped_up(app, await bootstrap_admin(client))
    second, second_pair = await user_with_tokens(client, admin, "root2", ["admin"])
    second_admin = await stepped_up(app, bearer(second_pair["access_token"]))
    first_id = (await client.get(f"{API}/users/me", headers=admin)).json()["id"]

    results = await asyncio.gather(
        patch_user(client, admin, second["id"], disabled=True),
        patch_user(client, second_admin, first_id, disabled=True),
    )

    assert sorted(r.status_code for r in results)[0] == 200
    assert [r.status_code for r in results].count(200) == 1, [r.text for r in results]
    survivor = admin if results[0].status_code == 200 else second_admin
    listed = (await client.get(f"{API}/users?role=admin&disabled=false", headers=survivor)).json()
    assert listed["totalCount"] == 1


async def test_api_keys_may_read_accounts_but_never_change_them(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await bootstrap_admin(client)
    alice = await register(client, "alice", headers=admin)
    key = bearer((await create_key(client, admin, "ops", ["admin"]))["apiKey"])

    listed = await client.get(f"{API}/users", headers=key)
    changed = await patch_user(client, key, alice["id"], roles=["admin"])
    created = await client.post(
        f"{API}/register",
        json={"username": "bot", "password": "p" * 12, "roles": ["admin"]},
        headers=key,
    )

    assert listed.status_code == 200
    assert (changed.status_code, created.status_code) == (403, 403)
    assert (await client.get(f"{API}/users/{alice['id']}", headers=admin)).json()["roles"] == [
        "reader"
    ]
    refused = [e for e in await audit_rows(app, "register") if e.outcome == "failure"]
    assert [(e.actor, e.details["reason"]) for e in refused] == [("service:ops", "notAUser")]
