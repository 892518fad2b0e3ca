"""One-time codes: delivered out of band only, short-lived, few guesses, newest only, throttled."""

from __future__ import annotations

import asyncio
import logging
import re
import stat
from pathlib import Path

import httpx
import pytest

from fountainai.services.twofa.config import TwofaSettings
from tests.services.twofa.support import (
    API,
    MovableClock,
    User,
    last_code,
    outbox_entries,
    verify,
)


async def generate(client: httpx.AsyncClient, user: User, username: str) -> httpx.Response:
    return await client.post(
        f"{API}/auth/generate", json={"username": username}, headers=user.headers
    )


async def test_generate_delivers_to_the_outbox_and_answers_no_code(
    client: httpx.AsyncClient, alice: User, outbox: Path, clock: MovableClock
) -> None:
    response = await generate(client, alice, "alice")
    assert response.status_code == 202, response.text
    body = response.json()
    assert set(body) == {"delivered", "channel", "expiresAt"}
    assert body["delivered"] is True
    assert body["channel"] == "outbox"
    assert response.headers["cache-control"] == "no-store"
    [entry] = outbox_entries(outbox)
    assert entry["username"] == "alice"
    assert entry["userId"] == alice.subject
    assert len(entry["code"]) == 6
    assert entry["code"].isascii()
    assert entry["code"].isdigit()
    mode = await asyncio.to_thread(lambda: stat.S_IMODE(outbox.stat().st_mode))
    assert mode == 0o600
    ok = await verify(client, alice, entry["code"])
    assert ok.status_code == 200
    assert ok.json() == {"success": True, "method": "otp"}


async def test_the_log_names_the_outbox_but_never_the_code(
    client: httpx.AsyncClient, alice: User, outbox: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert (await generate(client, alice, "alice")).status_code == 202
    code = last_code(outbox, "alice")
    assert str(outbox) in caplog.text
    assert re.search(rf"(?<!\d){code}(?!\d)", caplog.text) is None


async def test_a_one_time_code_works_once(
    client: httpx.AsyncClient, alice: User, outbox: Path
) -> None:
    await generate(client, alice, "alice")
    code = last_code(outbox, "alice")
    assert (await verify(client, alice, code)).status_code == 200
    assert (await verify(client, alice, code)).status_code == 403


async def test_a_one_time_code_expires(
    client: httpx.AsyncClient,
    alice: User,
    outbox: Path,
    clock: MovableClock,
    settings: TwofaSettings,
) -> None:
    await generate(client, alice, "alice")
    clock.advance(settings.otp_ttl_seconds)
    assert (await verify(client, alice, last_code(outbox, "alice"))).status_code == 403
    await generate(client, alice, "alice")
    clock.advance(settings.otp_ttl_seconds - 1)
    assert (await verify(client, alice, last_code(outbox, "alice"))).status_code == 200


async def test_a_one_time_code_dies_after_its_attempts(
    client: httpx.AsyncClient, alice: User, outbox: Path, settings: TwofaSettings
) -> None:
    settings.max_attempts = 50  # the per-account limit must not be what stops the guesses
    await generate(client, alice, "alice")
    code = last_code(outbox, "alice")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.otp_max_attempts):
        assert (await verify(client, alice, wrong)).status_code == 403
    assert (await verify(client, alice, code)).status_code == 403


async def test_only_the_newest_code_is_live(
    client: httpx.AsyncClient, alice: User, outbox: Path
) -> None:
    await generate(client, alice, "alice")
    first = last_code(outbox, "alice")
    await generate(client, alice, "alice")
    second = last_code(outbox, "alice")
    if first != second:
        assert (await verify(client, alice, first)).status_code == 403
    assert (await verify(client, alice, second)).status_code == 200


async def test_resending_is_throttled_per_account(
    client: httpx.AsyncClient,
    alice: User,
    bob: User,
    clock: MovableClock,
    settings: TwofaSettings,
) -> None:
    for _ in range(settings.resend_max):
        assert (await generate(client, alice, "alice")).status_code == 202
    throttled = await generate(client, alice, "alice")
    assert throttled.status_code == 429
    assert throttled.json()["type"].endswith("/too-many-codes-sent")
    assert 1 <= int(throttled.headers["retry-after"]) <= settings.resend_window_seconds
    assert (await generate(client, bob, "bob")).status_code == 202
    clock.advance(settings.resend_window_seconds)
    assert (await generate(client, alice, "alice")).status_code == 202


async def test_usernames_compare_as_the_kms_normalizes_them(
    client: httpx.AsyncClient, alice: User, outbox: Path
) -> None:
    assert (await generate(client, alice, "ALICE")).status_code == 202
    assert (await verify(client, alice, last_code(outbox, "alice"), username="Alice")).is_success
