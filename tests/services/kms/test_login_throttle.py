"""Throttling: lockout per account and IP (same 401 as a wrong password), 429 per IP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.core.db import utcnow
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import LoginThrottle
from tests.services.kms.account_factories import (
    LOGIN_FAILED,
    audit_rows,
    client_from,
    kms_app,
    login,
    register,
    update_rows,
)

ACCOUNT_LIMIT = 3
IP_LIMIT = 5


@pytest.fixture
async def throttled(settings: KmsSettings) -> AsyncIterator[FastAPI]:
    strict = settings.model_copy(
        update={
            "login_max_failures": ACCOUNT_LIMIT,
            "login_ip_max_failures": IP_LIMIT,
            "lockout_seconds": 600,
        }
    )
    async with kms_app(strict) as (app, client):
        await register(client, "alice")
        yield app


async def test_lockout_after_n_failures_then_even_the_right_password_fails(
    throttled: FastAPI,
) -> None:
    async with client_from(throttled, "10.0.0.1") as client:
        for _ in range(ACCOUNT_LIMIT):
            assert (await login(client, "alice", "wrong")).status_code == 401

        locked = await login(client, "alice")
        wrong = await login(client, "alice", "wrong")

    assert locked.status_code == 401
    assert locked.json()["detail"] == wrong.json()["detail"] == LOGIN_FAILED
    assert locked.headers["content-length"] == wrong.headers["content-length"]
    (lockout,) = await audit_rows(throttled, "lockout")
    assert (lockout.actor, lockout.ip, lockout.details["scope"]) == ("alice", "10.0.0.1", "account")
    assert lockout.request_id
    reasons = [e.details["reason"] for e in await audit_rows(throttled, "login")]
    assert reasons == ["badPassword"] * ACCOUNT_LIMIT + ["locked", "badPassword"]


async def test_the_lockout_is_per_address_so_the_owner_elsewhere_gets_in(
    throttled: FastAPI,
) -> None:
    async with client_from(throttled, "10.0.0.1") as attacker:
        for _ in range(ACCOUNT_LIMIT):
            await login(attacker, "alice", "wrong")
    async with client_from(throttled, "10.0.0.2") as owner:
        assert (await login(owner, "alice")).status_code == 200


async def test_unknown_usernames_are_counted_and_locked_too(throttled: FastAPI) -> None:
    async with client_from(throttled, "10.0.0.1") as client:
        for _ in range(ACCOUNT_LIMIT):
            await login(client, "ghost", "guess")

    (lockout,) = await audit_rows(throttled, "lockout")
    assert lockout.actor == "ghost"
    assert lockout.target is None


async def test_a_lockout_ends(throttled: FastAPI) -> None:
    async with client_from(throttled, "10.0.0.1") as client:
        for _ in range(ACCOUNT_LIMIT):
            await login(client, "alice", "wrong")
        await update_rows(
            throttled,
            LoginThrottle,
            LoginThrottle.locked_until.is_not(None),
            locked_until=utcnow() - timedelta(seconds=1),
        )

        assert (await login(client, "alice")).status_code == 200


async def test_failures_outside_the_window_are_forgotten(throttled: FastAPI) -> None:
    async with client_from(throttled, "10.0.0.1") as client:
        for _ in range(ACCOUNT_LIMIT - 1):
            await login(client, "alice", "wrong")
        await update_rows(
            throttled,
            LoginThrottle,
            LoginThrottle.key.like("acct:%"),
            window_started_at=utcnow() - timedelta(hours=1),
        )
        await login(client, "alice", "wrong")

        assert (await login(client, "alice")).status_code == 200


async def test_a_success_resets_the_account_counter(throttled: FastAPI) -> None:
    async with client_from(throttled, "10.0.0.1") as client:
        for _ in range(2):  # 4 failures in all: under the address's limit
            for _ in range(ACCOUNT_LIMIT - 1):
                await login(client, "alice", "wrong")
            assert (await login(client, "alice")).status_code == 200
    async with throttled.state.sessionmaker() as session:
        keys = list(await session.scalars(select(LoginThrottle.key)))
    assert keys == ["ip:10.0.0.1"]  # the address keeps its count: no free retries by interleaving


async def test_too_many_failures_from_one_address_is_429_with_retry_after(
    throttled: FastAPI,
) -> None:
    async with client_from(throttled, "10.0.0.7") as client:
        for number in range(IP_LIMIT):
            assert (await login(client, f"user{number}", "guess")).status_code == 401

        blocked = await login(client, "alice")  # even the right password: checked first

    assert blocked.status_code == 429
    assert blocked.headers["content-type"] == "application/problem+json"
    assert 0 < int(blocked.headers["retry-after"]) <= 600
    assert blocked.json()["status"] == 429
    async with client_from(throttled, "10.0.0.8") as other:
        assert (await login(other, "alice")).status_code == 200
    throttled_events = await audit_rows(throttled, "ipThrottled")
    assert [e.details.get("scope") for e in throttled_events] == ["ip", None]
    assert all(e.ip == "10.0.0.7" for e in throttled_events)


async def test_a_blocked_address_costs_no_password_hash(throttled: FastAPI) -> None:
    """While blocked, login answers before argon2: the hasher is never reached."""
    passwords = throttled.state.passwords
    async with client_from(throttled, "10.0.0.7") as client:
        for number in range(IP_LIMIT):
            await login(client, f"user{number}", "guess")
        throttled.state.passwords = None  # any use would raise, i.e. a 500
        try:
            assert (await login(client, "alice")).status_code == 429
        finally:
            throttled.state.passwords = passwords


async def test_the_lockout_and_the_429_are_problem_json(client: httpx.AsyncClient) -> None:
    await register(client, "bob")

    response = await login(client, "bob", "nope")

    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.json()) >= {"type", "title", "status", "detail", "request_id"}
