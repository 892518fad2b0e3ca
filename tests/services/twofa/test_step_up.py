"""Step-up: a valid code buys a fresh KMS token with otp in amr, accepted by guarded actions."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from fastapi import FastAPI

from fountainai.core.auth import RecentOtpDep
from fountainai.core.auth.principal import Principal
from fountainai.core.problems import install_error_handlers
from tests.services.twofa.support import (
    API,
    FakeKms,
    MovableClock,
    User,
    enable_totp,
    last_code,
    totp_now,
    wrong_totp,
)
from tests.support.tokens import LocalIssuer


async def step_up(client: httpx.AsyncClient, user: User, code: str) -> httpx.Response:
    return await client.post(f"{API}/auth/step-up", json={"code": code}, headers=user.headers)


async def test_step_up_returns_the_kms_token(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    response = await step_up(client, alice, totp_now(secret, clock))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "amr", "auth_time"}
    assert body["token_type"] == "Bearer"
    assert "otp" in body["amr"]
    assert "pwd" in body["amr"]
    assert abs(body["auth_time"] - time.time()) < 5
    assert response.headers["cache-control"] == "no-store"
    assert kms.step_ups == [(alice.subject, "totp")]


async def test_step_up_with_a_recovery_or_one_time_code_names_the_method(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms, outbox: Path
) -> None:
    _secret, codes = await enable_totp(client, alice, clock)
    assert (await step_up(client, alice, codes[0])).status_code == 200
    await client.post(f"{API}/auth/generate", json={"username": "alice"}, headers=alice.headers)
    assert (await step_up(client, alice, last_code(outbox, "alice"))).status_code == 200
    assert [method for _, method in kms.step_ups] == ["recovery", "otp"]


async def test_step_up_rejects_a_wrong_code(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    response = await step_up(client, alice, wrong_totp(secret, clock))
    assert response.status_code == 403
    assert kms.step_ups == []


async def test_step_up_answers_503_when_the_kms_is_down(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    kms.down = True
    response = await step_up(client, alice, totp_now(secret, clock))
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_stepped_up_token_passes_a_guarded_action_and_the_old_one_does_not(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, issuer: LocalIssuer
) -> None:
    guarded = FastAPI()
    install_error_handlers(guarded)
    guarded.state.authenticator = issuer.authenticator()
    guarded.state.settings = issuer.settings

    @guarded.post("/purge")
    async def purge(principal: RecentOtpDep) -> dict[str, str]:
        assert isinstance(principal, Principal)
        return {"by": principal.subject}

    secret, _codes = await enable_totp(client, alice, clock)
    token = (await step_up(client, alice, totp_now(secret, clock))).json()["access_token"]
    transport = httpx.ASGITransport(app=guarded)
    async with httpx.AsyncClient(transport=transport, base_url="http://guarded.test") as other:
        ok = await other.post("/purge", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        assert ok.json() == {"by": alice.subject}
        refused = await other.post("/purge", headers=alice.headers)
        assert refused.status_code == 401
        assert refused.json()["type"].endswith("/insufficient-user-authentication")
