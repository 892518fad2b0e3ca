"""TOTP checks: the documented window edges and replay protection, sequential and concurrent."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.services.twofa.support import (
    STEP,
    MovableClock,
    User,
    enable_totp,
    totp_now,
    verify,
)


@pytest.mark.parametrize(
    ("steps", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)]
)
async def test_window_edges(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, steps: int, accepted: bool
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    clock.advance(5 * STEP)  # far from the step the confirmation used
    response = await verify(client, alice, totp_now(secret, clock, steps))
    assert response.status_code == (200 if accepted else 403), response.text
    if accepted:
        assert response.json() == {"success": True, "method": "totp"}


async def test_an_accepted_code_is_rejected_when_replayed(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    code = totp_now(secret, clock)
    assert (await verify(client, alice, code)).status_code == 200
    replay = await verify(client, alice, code)
    assert replay.status_code == 403
    assert replay.json()["type"].endswith("/code-rejected")
    clock.advance(STEP - 1)  # still inside the window: the same code matches step -1 now
    assert (await verify(client, alice, code)).status_code == 403


async def test_a_step_before_the_last_accepted_one_is_rejected(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    clock.advance(5 * STEP)
    assert (await verify(client, alice, totp_now(secret, clock, 1))).status_code == 200
    assert (await verify(client, alice, totp_now(secret, clock, 0))).status_code == 403
    assert (await verify(client, alice, totp_now(secret, clock, -1))).status_code == 403
    clock.advance(2 * STEP)  # now +1 of before is -1: still used
    assert (await verify(client, alice, totp_now(secret, clock, -1))).status_code == 403
    assert (await verify(client, alice, totp_now(secret, clock, 0))).status_code == 200


@pytest.mark.parametrize("concurrency", [10, 20])
async def test_concurrent_requests_with_one_code_accept_it_exactly_once(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, concurrency: int
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    code = totp_now(secret, clock)
    responses = await asyncio.gather(*(verify(client, alice, code) for _ in range(concurrency)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 403, 429}


async def test_concurrent_step_ups_with_one_code_get_one_token(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    code = totp_now(secret, clock)
    responses = await asyncio.gather(
        *(
            client.post("/api/v1/auth/step-up", json={"code": code}, headers=alice.headers)
            for _ in range(12)
        )
    )
    assert sorted(r.status_code for r in responses).count(200) == 1
