"""Recovery codes: single use, case-insensitive, stored hashed, regenerated with a TOTP code."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.services.twofa.models import RecoveryCode
from tests.services.twofa.support import API, MovableClock, User, enable_totp, totp_now, verify


async def remaining(client: httpx.AsyncClient, user: User) -> int:
    response = await client.get(f"{API}/totp", headers=user.headers)
    count: int = response.json()["recoveryCodesRemaining"]
    return count


async def test_a_recovery_code_works_once(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    _secret, codes = await enable_totp(client, alice, clock)
    first = await verify(client, alice, codes[0])
    assert first.status_code == 200
    assert first.json() == {"success": True, "method": "recovery"}
    assert (await verify(client, alice, codes[0])).status_code == 403
    assert await remaining(client, alice) == 9


async def test_recovery_codes_are_case_insensitive_with_or_without_dashes(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    _secret, codes = await enable_totp(client, alice, clock)
    assert (await verify(client, alice, codes[0].upper())).status_code == 200
    assert (await verify(client, alice, codes[1].replace("-", ""))).status_code == 200
    assert (await verify(client, alice, codes[1])).status_code == 403


async def test_concurrent_use_of_one_recovery_code_succeeds_once(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    _secret, codes = await enable_totp(client, alice, clock)
    responses = await asyncio.gather(*(verify(client, alice, codes[2]) for _ in range(10)))
    assert [r.status_code for r in responses].count(200) == 1


async def test_regenerating_kills_the_old_codes(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    secret, old = await enable_totp(client, alice, clock)
    response = await client.post(
        f"{API}/recovery-codes", json={"code": totp_now(secret, clock)}, headers=alice.headers
    )
    assert response.status_code == 201, response.text
    new = response.json()["recoveryCodes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert (await verify(client, alice, old[0])).status_code == 403
    assert (await verify(client, alice, new[0])).status_code == 200


async def test_regenerating_needs_totp_enabled_and_a_valid_code(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    body = {"code": "123456"}
    missing = await client.post(f"{API}/recovery-codes", json=body, headers=alice.headers)
    assert missing.status_code == 404
    secret, _codes = await enable_totp(client, alice, clock)
    code = totp_now(secret, clock)
    await verify(client, alice, code)  # spent
    replay = await client.post(f"{API}/recovery-codes", json={"code": code}, headers=alice.headers)
    assert replay.status_code == 403


async def test_only_keyed_hashes_are_stored(
    client: httpx.AsyncClient, app: FastAPI, alice: User, clock: MovableClock
) -> None:
    _secret, codes = await enable_totp(client, alice, clock)
    async with app.state.sessionmaker() as session:
        stored = (await session.scalars(select(RecoveryCode.code_hash))).all()
    assert len(stored) == 10
    plain = {code.replace("-", "") for code in codes} | set(codes)
    assert not plain & set(stored)
    assert all(len(value) == 64 for value in stored)
