"""Login with a second factor against a fake 2FA service: tickets, codes, attempts, outages."""

from __future__ import annotations

import hashlib
import time

import httpx
import pytest
from fastapi import FastAPI

from fountainai.core.auth import MFA_VERIFY_SCOPE, Principal
from fountainai.core.db import utcnow
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import MfaTicket, User
from tests.cli.conftest import free_port
from tests.services.kms.account_factories import (
    PASSWORD,
    audit_rows,
    claims,
    kms_app,
    refresh,
    tokens,
    update_rows,
)
from tests.services.kms.fake_twofa import GOOD_CODE, LOCKED, MALFORMED, FakeTwoFactor
from tests.services.kms.mfa_factories import (
    MFA_CODE,
    complete,
    families,
    mfa_user,
    stored_tickets,
    ticket_for,
)

VERIFY = "/api/v1/auth/verify"
GENERATE = "/api/v1/auth/generate"


@pytest.fixture
def settings(settings: KmsSettings, twofa: FakeTwoFactor) -> KmsSettings:
    return settings.model_copy(update={"twofa_url": twofa.url})


async def test_an_mfa_account_gets_a_ticket_and_no_tokens(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user_id = await mfa_user(app, client)
    before = utcnow()

    response = await client.post("/api/v1/login", json={"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"mfa_required", "ticket", "expires_in", "methods"}
    assert (body["mfa_required"], body["expires_in"]) == (True, 300)
    assert body["methods"] == ["totp", "otp", "recovery"]
    assert await families(app) == 0
    (stored,) = await stored_tickets(app)
    assert stored.ticket_hash == hashlib.sha256(body["ticket"].encode()).hexdigest()
    assert (stored.user_id, stored.attempts, stored.consumed_at) == (user_id, 0, None)
    assert 299 <= (stored.expires_at - before).total_seconds() <= 301
    (event,) = await audit_rows(app, "login")
    assert event.details["mfa"] == "required"
    assert body["ticket"] not in str(event.details)


async def test_the_right_code_gives_tokens_with_pwd_and_otp_that_refresh_keeps(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    user_id = await mfa_user(app, client)
    ticket = await ticket_for(client)

    response = await complete(client, ticket, GOOD_CODE)

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    pair = response.json()
    assert pair["amr"] == ["pwd", "otp"]
    token = claims(pair["access_token"])
    assert (token["sub"], token["amr"]) == (user_id, ["pwd", "otp"])
    assert abs(token["auth_time"] - time.time()) <= 5
    (call,) = twofa.calls
    assert (call.path, call.body) == (
        VERIFY,
        {"userId": user_id, "username": "alice", "code": GOOD_CODE},
    )
    refreshed = (await refresh(client, pair["refresh_token"])).json()
    assert refreshed["amr"] == ["pwd", "otp"]
    assert claims(refreshed["access_token"])["amr"] == ["pwd", "otp"]
    assert claims(refreshed["access_token"])["auth_time"] == token["auth_time"]
    (event,) = await audit_rows(app, "mfaLogin")
    assert (event.outcome, event.target, event.details["method"]) == ("success", user_id, "totp")


async def test_a_ticket_is_single_use(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    await mfa_user(app, client)
    ticket = await ticket_for(client)
    assert (await complete(client, ticket, GOOD_CODE)).status_code == 200

    again = await complete(client, ticket, GOOD_CODE)

    assert again.status_code == 401
    assert again.headers["content-type"] == "application/problem+json"
    assert twofa.paths() == [VERIFY]  # the spent ticket never reached 2FA
    assert await families(app) == 1


async def test_a_wrong_code_passes_2fas_403_on_and_counts_an_attempt(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await mfa_user(app, client)
    ticket = await ticket_for(client)

    response = await complete(client, ticket, "000000")

    assert response.status_code == 403
    problem = response.json()
    assert problem["type"] == "https://fountain.coach/problems/code-rejected"
    assert (problem["title"], problem["detail"]) == ("Code rejected", "The code is not valid.")
    assert (await stored_tickets(app))[0].attempts == 1
    assert await families(app) == 0
    (event,) = await audit_rows(app, "mfaLogin")
    assert (event.outcome, event.details["status"]) == ("failure", 403)
    assert "000000" not in str(event.details)


async def test_the_sixth_attempt_on_a_ticket_is_401_even_with_the_right_code(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    await mfa_user(app, client)
    ticket = await ticket_for(client)
    for _ in range(5):
        assert (await complete(client, ticket, "000000")).status_code == 403

    sixth = await complete(client, ticket, GOOD_CODE)

    assert sixth.status_code == 401
    assert twofa.paths() == [VERIFY] * 5
    assert await families(app) == 0
    assert (await audit_rows(app, "mfaLogin"))[-1].details["reason"] == "ticketExhausted"


async def test_malformed_codes_pass_2fas_422_on_without_spending_an_attempt(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    await mfa_user(app, client)
    ticket = await ticket_for(client)
    twofa.verify_answer = MALFORMED

    response = await complete(client, ticket, "12345")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "code"]
    assert (await stored_tickets(app))[0].attempts == 0


async def test_2fas_lockout_is_passed_on(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    await mfa_user(app, client)
    ticket = await ticket_for(client)
    twofa.verify_answer = LOCKED

    response = await complete(client, ticket, GOOD_CODE)

    assert response.status_code == 429
    assert response.json()["type"] == "https://fountain.coach/problems/too-many-attempts"


@pytest.mark.parametrize("state", ["expired", "unknown", "malformed", "disabled"])
async def test_unusable_tickets_are_401_and_never_reach_2fa(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor, state: str
) -> None:
    user_id = await mfa_user(app, client)
    ticket = await ticket_for(client)
    if state == "expired":
        await update_rows(app, MfaTicket, MfaTicket.user_id == user_id, expires_at=utcnow())
    elif state == "unknown":
        ticket = ticket[:-4] + ("aaaa" if not ticket.endswith("aaaa") else "bbbb")
    elif state == "malformed":
        ticket = "not a ticket"
    else:
        await update_rows(app, User, User.id == user_id, disabled_at=utcnow())

    answers = [
        await complete(client, ticket, GOOD_CODE),
        await client.post(MFA_CODE, json={"ticket": ticket}),
    ]

    assert [answer.status_code for answer in answers] == [401, 401]
    assert twofa.calls == []
    assert await families(app) == 0


async def test_2fa_unreachable_is_503_and_no_tokens(settings: KmsSettings) -> None:
    down = settings.model_copy(update={"twofa_url": f"http://127.0.0.1:{free_port()}"})
    async with kms_app(down) as (app, client):
        await mfa_user(app, client)
        ticket = await ticket_for(client)

        answers = [
            await complete(client, ticket, GOOD_CODE),
            await client.post(MFA_CODE, json={"ticket": ticket}),
        ]

        assert [answer.status_code for answer in answers] == [503, 503]
        assert answers[0].headers["content-type"] == "application/problem+json"
        assert "retry-after" in answers[0].headers
        assert await families(app) == 0
        assert [e.outcome for e in await audit_rows(app, "mfaLogin")] == ["failure"]


async def test_a_code_is_sent_through_2fa_and_never_answered(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    user_id = await mfa_user(app, client)
    ticket = await ticket_for(client)

    response = await client.post(MFA_CODE, json={"ticket": ticket})

    assert response.status_code == 202, response.text
    body = response.json()
    assert set(body) == {"delivered", "expires_in"}
    assert body["delivered"] is True
    assert 100 <= body["expires_in"] <= 120  # the code's life, inside the ticket's
    (call,) = twofa.calls
    assert (call.path, call.body) == (GENERATE, {"userId": user_id, "username": "alice"})
    assert (await stored_tickets(app))[0].attempts == 0
    (event,) = await audit_rows(app, "mfaCodeSend")
    assert (event.outcome, event.details["channel"]) == ("success", "outbox")


async def test_2fas_resend_limit_is_passed_on(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    await mfa_user(app, client)
    ticket = await ticket_for(client)
    twofa.generate_answer = LOCKED

    response = await client.post(MFA_CODE, json={"ticket": ticket})

    assert response.status_code == 429
    assert response.json()["detail"] == "Locked for a while."


async def test_2fas_retry_after_is_passed_on(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    await mfa_user(app, client)
    ticket = await ticket_for(client)
    twofa.verify_answer = twofa.generate_answer = LOCKED

    answers = [
        await complete(client, ticket, GOOD_CODE),
        await client.post(MFA_CODE, json={"ticket": ticket}),
    ]

    assert [answer.headers.get("retry-after") for answer in answers] == ["321", "321"]


async def test_2fa_receives_a_short_lived_kms_service_token_reused_across_calls(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    await mfa_user(app, client)
    ticket = await ticket_for(client)
    await client.post(MFA_CODE, json={"ticket": ticket})
    await complete(client, ticket, GOOD_CODE)

    first, second = (call.authorization or "" for call in twofa.calls)
    assert first == second
    token = first.removeprefix("Bearer ")
    principal: Principal = await app.state.authenticator.verifier.verify(token)
    assert (principal.kind, principal.subject) == ("service", "service:kms")
    assert principal.scopes == frozenset({MFA_VERIFY_SCOPE})
    assert (principal.roles, principal.amr) == (frozenset(), ())
    assert (principal.expires_at or 0) - (principal.issued_at or 0) == 60


async def test_a_password_only_account_is_unchanged(
    client: httpx.AsyncClient, app: FastAPI, twofa: FakeTwoFactor
) -> None:
    await mfa_user(app, client, "bob")
    await client.post("/api/v1/register", json={"username": "carol", "password": "p" * 12})

    pair = await tokens(client, "carol", "p" * 12)

    assert pair["amr"] == ["pwd"]
    assert twofa.calls == []
