"""One failed-code limit per account across TOTP, one-time and recovery codes; then 429."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from fountainai.services.twofa.config import TwofaSettings
from tests.services.twofa.support import (
    API,
    STEP,
    MovableClock,
    User,
    enable_totp,
    totp_now,
    verify,
    wrong_totp,
)


def assert_locked(response: httpx.Response, settings: TwofaSettings) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["type"].endswith("/too-many-attempts")
    assert 1 <= int(response.headers["retry-after"]) <= settings.lockout_seconds


async def test_brute_force_stops_at_the_limit_until_the_lockout_ends(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, settings: TwofaSettings
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    wrong = wrong_totp(secret, clock)
    for _ in range(settings.max_attempts):
        assert (await verify(client, alice, wrong)).status_code == 403
    assert_locked(await verify(client, alice, wrong), settings)
    # Locked means locked: the right code is not even looked at.
    assert_locked(await verify(client, alice, totp_now(secret, clock)), settings)
    clock.advance(settings.lockout_seconds - 10)
    locked = await verify(client, alice, totp_now(secret, clock))
    assert_locked(locked, settings)
    assert int(locked.headers["retry-after"]) <= 10
    clock.advance(10)
    assert (await verify(client, alice, totp_now(secret, clock))).status_code == 200


@pytest.mark.parametrize("concurrency", [12, 20])
async def test_concurrent_guesses_evaluate_exactly_max_attempts(
    client: httpx.AsyncClient,
    alice: User,
    clock: MovableClock,
    settings: TwofaSettings,
    concurrency: int,
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    guesses = [f"{n:06d}" for n in range(concurrency)]
    guesses = [g for g in guesses if g not in {totp_now(secret, clock, s) for s in (-1, 0, 1)}]
    responses = await asyncio.gather(*(verify(client, alice, guess) for guess in guesses))
    statuses = [response.status_code for response in responses]
    assert statuses.count(403) == settings.max_attempts, statuses
    assert statuses.count(429) == len(guesses) - settings.max_attempts


async def test_one_counter_for_totp_one_time_and_recovery_codes(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, settings: TwofaSettings
) -> None:
    secret, codes = await enable_totp(client, alice, clock)
    generated = await client.post(
        f"{API}/auth/generate", json={"username": "alice"}, headers=alice.headers
    )
    assert generated.status_code == 202
    bogus_recovery = "2222-3333-4444-5555"
    attempts = [wrong_totp(secret, clock), bogus_recovery] * settings.max_attempts
    for code in attempts[: settings.max_attempts]:
        assert (await verify(client, alice, code)).status_code == 403
    assert_locked(await verify(client, alice, codes[0]), settings)
    assert_locked(await verify(client, alice, bogus_recovery), settings)


async def test_a_success_resets_the_counter(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, settings: TwofaSettings
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    for _round in range(3):
        wrong = wrong_totp(secret, clock)
        for _ in range(settings.max_attempts - 1):
            assert (await verify(client, alice, wrong)).status_code == 403
        assert (await verify(client, alice, totp_now(secret, clock))).status_code == 200
        clock.advance(STEP)


async def test_failures_older_than_the_window_are_forgotten(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, settings: TwofaSettings
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    wrong = wrong_totp(secret, clock)
    for _ in range(settings.max_attempts - 1):
        assert (await verify(client, alice, wrong)).status_code == 403
    clock.advance(settings.attempt_window_seconds + 1)
    wrong = wrong_totp(secret, clock)
    for _ in range(settings.max_attempts - 1):
        assert (await verify(client, alice, wrong)).status_code == 403
    assert (await verify(client, alice, totp_now(secret, clock))).status_code == 200


async def test_one_account_locked_leaves_others_alone(
    client: httpx.AsyncClient, alice: User, bob: User, clock: MovableClock, settings: TwofaSettings
) -> None:
    secret, _ = await enable_totp(client, alice, clock)
    bob_secret, _ = await enable_totp(client, bob, clock)
    for _ in range(settings.max_attempts + 1):
        await verify(client, alice, wrong_totp(secret, clock))
    assert (await verify(client, bob, totp_now(bob_secret, clock))).status_code == 200
