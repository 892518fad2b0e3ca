"""What only the 2FA service may ask: the MFA flag and step-up tokens (an mfa:assert API key)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from fountainai.core.auth import MFA_ASSERT_SCOPE, MFA_VERIFY_SCOPE
from fountainai.core.db import utcnow
from fountainai.services.kms.models import User
from tests.services.kms.account_factories import (
    audit_rows,
    bootstrap_admin,
    claims,
    login,
    register,
    stored_user,
    tokens,
    update_rows,
)
from tests.services.kms.api_key_factories import KEYS, create_key, introspect, rotate_key
from tests.services.kms.conftest import API, STEPPED_UP, bearer, mint_token
from tests.services.kms.mfa_factories import INTERNAL, service_key, stored_tickets, ticket_for

STEP_UP = f"{INTERNAL}/step-up"


def key_header(api_key: str) -> dict[str, str]:
    return {"X-API-Key": api_key}


async def set_flag(
    client: httpx.AsyncClient, user_id: str, enabled: Any, headers: dict[str, str]
) -> httpx.Response:
    url = f"{INTERNAL}/users/{user_id}"
    return await client.put(url, json={"enabled": enabled}, headers=headers)


async def step_up(
    client: httpx.AsyncClient, subject_token: str, headers: dict[str, str], method: str = "totp"
) -> httpx.Response:
    body = {"subjectToken": subject_token, "method": method}
    return await client.post(STEP_UP, json=body, headers=headers)


async def kms_service_token(app: FastAPI) -> str:
    async with app.state.sessionmaker() as session:
        issued = await app.state.token_issuer.issue_service(
            session, service="kms", scopes=[MFA_VERIFY_SCOPE], lifetime=60
        )
        await session.commit()
    token: str = issued.token
    return token


async def test_only_an_mfa_assert_key_may_call_the_internal_endpoints(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await bootstrap_admin(client)
    user = await register(client, "alice", headers=admin)
    alice = (await tokens(client, "alice"))["access_token"]
    refused = [
        admin,
        bearer(await mint_token(app, roles=["admin"], amr=STEPPED_UP)),
        key_header((await create_key(client, admin, "ops", ["admin"]))["apiKey"]),
        key_header(await service_key(app, "indexer", ("story:read", "story:write"))),
        bearer(await kms_service_token(app)),
        bearer(alice),
    ]

    anonymous = [await set_flag(client, user["id"], True, {}), await step_up(client, alice, {})]
    assert [answer.status_code for answer in anonymous] == [401, 401]
    for headers in refused:
        answers = [
            await set_flag(client, user["id"], True, headers),
            await step_up(client, alice, headers),
        ]
        assert [answer.status_code for answer in answers] == [403, 403], headers
        assert answers[0].headers["content-type"] == "application/problem+json"
    assert (await stored_user(app, "alice")).mfa_enabled is False
    assert await audit_rows(app, "stepUp") == []

    twofa = key_header(await service_key(app))
    assert (await set_flag(client, user["id"], True, twofa)).status_code == 204
    assert (await step_up(client, alice, twofa)).status_code == 200


async def test_the_internal_endpoints_are_not_at_the_root(client: httpx.AsyncClient) -> None:
    assert (await client.post("/internal/mfa/step-up", json={})).status_code == 404
    assert (await client.post("/login/mfa", json={})).status_code == 422  # the seed-style alias


async def test_the_flag_turns_the_second_factor_on_and_off(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await register(client, "alice")
    twofa = key_header(await service_key(app))

    assert (await set_flag(client, user["id"], True, twofa)).status_code == 204
    assert "ticket" in (await login(client, "alice")).json()
    assert len(await stored_tickets(app)) == 1
    assert (await set_flag(client, user["id"], False, twofa)).status_code == 204

    assert (await stored_tickets(app)) == []  # pending tickets end with the setting
    assert "access_token" in (await login(client, "alice")).json()
    events = [(e.event, e.actor, e.target) for e in await audit_rows(app) if "mfa" in e.event]
    assert events == [
        ("mfaEnable", "service:twofa", user["id"]),
        ("mfaDisable", "service:twofa", user["id"]),
    ]


async def test_the_flag_of_an_unknown_user_is_404_and_bad_bodies_422(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await register(client, "alice")
    twofa = key_header(await service_key(app))

    assert (await set_flag(client, str(uuid.uuid4()), True, twofa)).status_code == 404
    assert (await set_flag(client, "not-a-uuid", True, twofa)).status_code == 422
    assert (await set_flag(client, user["id"], "maybe", twofa)).status_code == 422


async def test_step_up_adds_otp_and_a_fresh_auth_time_with_current_roles(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await register(client, "alice")
    subject = (await tokens(client, "alice"))["access_token"]
    # A role granted since the subject token was issued (no not-before: that token stays valid).
    await update_rows(app, User, User.id == user["id"], roles=["writer"])
    twofa = key_header(await service_key(app))

    response = await step_up(client, subject, twofa, method="recovery")

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "amr", "auth_time"}
    assert (body["token_type"], body["amr"]) == ("Bearer", ["pwd", "otp"])
    assert abs(body["auth_time"] - time.time()) <= 5
    token = claims(body["access_token"])
    assert (token["sub"], token["preferred_username"]) == (user["id"], "alice")
    assert (token["amr"], token["auth_time"], token["roles"]) == (
        ["pwd", "otp"],
        body["auth_time"],
        ["writer"],
    )
    assert body["expires_in"] == token["exp"] - token["iat"]
    (event,) = await audit_rows(app, "stepUp")
    assert (event.actor, event.target, event.details["method"]) == (
        "service:twofa",
        user["id"],
        "recovery",
    )
    assert subject not in str(event.details)


async def test_a_stepped_up_token_keeps_otp_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    await register(client, "alice")
    subject = (await tokens(client, "alice"))["access_token"]
    twofa = key_header(await service_key(app))
    once = (await step_up(client, subject, twofa)).json()["access_token"]

    twice = (await step_up(client, once, twofa)).json()

    assert twice["amr"] == ["pwd", "otp"]


async def test_step_up_refuses_revoked_disabled_service_and_forged_subjects(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    twofa = key_header(await service_key(app))
    await register(client, "alice")
    await register(client, "bob")
    logged_out = (await tokens(client, "alice"))["access_token"]
    assert (await client.post(f"{API}/logout", headers=bearer(logged_out))).status_code == 204
    disabled = (await tokens(client, "bob"))["access_token"]
    await update_rows(app, User, User.username == "bob", disabled_at=utcnow())
    header, payload, signature = (await tokens(client, "alice"))["access_token"].split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"

    for subject in (logged_out, disabled, await kms_service_token(app), forged, "garbage"):
        response = await step_up(client, subject, twofa)
        assert response.status_code == 400, subject
        assert response.json()["type"].endswith("/invalid-subject-token")
    assert {e.outcome for e in await audit_rows(app, "stepUp")} == {"failure"}


async def test_mfa_assert_is_granted_by_the_cli_only_and_kept_by_rotation(
    client: httpx.AsyncClient, app: FastAPI, stepped_up_headers: dict[str, str]
) -> None:
    for scopes in ([MFA_ASSERT_SCOPE], ["admin", MFA_ASSERT_SCOPE]):
        body = {"serviceName": "twofa", "scopes": scopes}
        response = await client.post(KEYS, json=body, headers=stepped_up_headers)
        assert response.status_code == 422
    old = await service_key(app)

    rotated = await rotate_key(client, stepped_up_headers, "twofa")

    assert rotated["scopes"] == [MFA_ASSERT_SCOPE]
    assert (await introspect(client, rotated["apiKey"]))["scopes"] == [MFA_ASSERT_SCOPE]
    assert (await introspect(client, old))["active"] is True  # the rotation grace period


async def test_a_second_cli_key_retires_the_first_at_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    first = await service_key(app)
    second = await service_key(app)

    assert await introspect(client, first) == {"active": False}
    assert (await introspect(client, second))["scopes"] == [MFA_ASSERT_SCOPE]


async def test_admins_find_a_user_by_exact_username(client: httpx.AsyncClient) -> None:
    admin = await bootstrap_admin(client)
    for name in ("ali", "alice", "alicia"):
        await register(client, name, headers=admin)

    found = (await client.get(f"{API}/users", params={"username": "ALICE"}, headers=admin)).json()
    none = (await client.get(f"{API}/users", params={"username": "alic"}, headers=admin)).json()

    assert [u["username"] for u in found["items"]] == ["alice"]
    assert none["totalCount"] == 0


async def test_a_ticket_is_not_a_token(client: httpx.AsyncClient, app: FastAPI) -> None:
    user = await register(client, "alice")
    await update_rows(app, User, User.id == user["id"], mfa_enabled=True)
    ticket = await ticket_for(client)

    assert (await client.get(f"{API}/users/me", headers=bearer(ticket))).status_code == 401
