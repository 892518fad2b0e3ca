"""Rotating and revoking API keys, changing roles and disabling accounts need a second factor
used within the last 5 minutes: a password-only token, or an old step-up, gets a 401."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from tests.services.kms.account_factories import audit_rows, register
from tests.services.kms.api_key_factories import KEYS, create_key
from tests.services.kms.conftest import API, PASSWORD_ONLY, STEPPED_UP, bearer, mint_token

Action = Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[httpx.Response]]


async def guarded_actions(client: httpx.AsyncClient, setup: dict[str, str]) -> dict[str, Action]:
    """Each guarded route, ready to succeed for a stepped-up admin."""
    await create_key(client, setup, "gateway")
    await create_key(client, setup, "indexer")
    alice = await register(client, "alice", headers=setup)
    bob = await register(client, "bob", headers=setup)

    async def rotate(c: httpx.AsyncClient, h: dict[str, str]) -> httpx.Response:
        return await c.post(f"{KEYS}/gateway/rotate", headers=h)

    async def revoke(c: httpx.AsyncClient, h: dict[str, str]) -> httpx.Response:
        return await c.delete(f"{KEYS}/indexer", headers=h)

    async def change_roles(c: httpx.AsyncClient, h: dict[str, str]) -> httpx.Response:
        return await c.patch(f"{API}/users/{alice['id']}", json={"roles": ["writer"]}, headers=h)

    async def disable(c: httpx.AsyncClient, h: dict[str, str]) -> httpx.Response:
        return await c.patch(f"{API}/users/{bob['id']}", json={"disabled": True}, headers=h)

    return {"rotate": rotate, "revoke": revoke, "roles": change_roles, "disable": disable}


@pytest.mark.parametrize(
    ("amr", "age"),
    [(PASSWORD_ONLY, 0), (STEPPED_UP, 301), (("otp",), 400), (PASSWORD_ONLY, 10)],
    ids=["no-otp", "otp-301s-ago", "otp-400s-ago", "recent-but-no-otp"],
)
async def test_guarded_actions_refuse_without_a_recent_second_factor(
    client: httpx.AsyncClient,
    app: FastAPI,
    stepped_up_headers: dict[str, str],
    amr: tuple[str, ...],
    age: int,
) -> None:
    actions = await guarded_actions(client, stepped_up_headers)
    token = await mint_token(
        app, roles=["admin"], username="root", amr=amr, auth_time=int(time.time()) - age
    )
    events_before = len(await audit_rows(app))

    for name, action in actions.items():
        response = await action(client, bearer(token))

        assert response.status_code == 401, name
        problem = response.json()
        assert problem["type"] == "https://fountain.coach/problems/insufficient-user-authentication"
        assert problem["maxAge"] == 300
        assert problem["stepUp"]["url"].endswith("/api/v1/auth/step-up")
        challenge = response.headers["www-authenticate"]
        assert 'error="insufficient_user_authentication"' in challenge
        assert "max_age=300" in challenge
    assert len(await audit_rows(app)) == events_before  # nothing happened


async def test_guarded_actions_pass_within_five_minutes_of_the_second_factor(
    client: httpx.AsyncClient, app: FastAPI, stepped_up_headers: dict[str, str]
) -> None:
    actions = await guarded_actions(client, stepped_up_headers)
    token = await mint_token(
        app, roles=["admin"], username="root", amr=STEPPED_UP, auth_time=int(time.time()) - 290
    )

    statuses = {
        name: (await action(client, bearer(token))).status_code for name, action in actions.items()
    }

    assert statuses == {"rotate": 200, "revoke": 204, "roles": 200, "disable": 200}


async def test_a_non_admin_hears_403_not_a_step_up_challenge(
    client: httpx.AsyncClient, app: FastAPI, stepped_up_headers: dict[str, str]
) -> None:
    actions = await guarded_actions(client, stepped_up_headers)
    writer = bearer(await mint_token(app, roles=["writer"], amr=PASSWORD_ONLY))

    for name, action in actions.items():
        assert (await action(client, writer)).status_code == 403, name


async def test_creating_keys_and_reading_need_no_step_up(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    assert (await create_key(client, admin_headers, "gateway"))["serviceName"] == "gateway"
    assert (await client.get(f"{API}/users", headers=admin_headers)).status_code == 200
    assert (await client.get(KEYS, headers=admin_headers)).status_code == 200
