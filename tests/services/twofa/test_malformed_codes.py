"""Malformed codes are a 422 before anything is counted, on every operation that takes a code."""

from __future__ import annotations

import httpx
import pytest

from fountainai.services.twofa.config import TwofaSettings
from tests.services.twofa.support import API, MovableClock, User, enable_totp, totp_now, verify

MALFORMED = [
    "12345",
    "1234567",
    "12345a",
    "abcdef",
    " 123456",
    "123456 ",
    "123 456",
    "123456\n",
    "\t123456",
    "١٢٣٤٥٦",  # Arabic-Indic digits
    "１２３４５６",  # full-width digits  # noqa: RUF001
    "",
    "abcd-efgh-jkmn-pqr",  # a recovery code one character short
    "abcd-efgh-jkmn-pqrs-t",
    "abcd-efgh-jkmn-pq1s",  # 1 is not in the alphabet
]
OPERATIONS = [
    ("POST", "/auth/verify"),
    ("POST", "/auth/step-up"),
    ("POST", "/totp/confirm"),
    ("DELETE", "/totp"),
    ("POST", "/recovery-codes"),
]


@pytest.mark.parametrize("code", MALFORMED)
async def test_malformed_code_is_422(client: httpx.AsyncClient, alice: User, code: str) -> None:
    for method, path in OPERATIONS:
        response = await client.request(
            method, f"{API}{path}", json={"code": code}, headers=alice.headers
        )
        assert response.status_code == 422, (method, path, response.text)
        assert response.json()["errors"][0]["loc"] == ["body", "code"]


async def test_non_string_and_missing_codes_are_422(client: httpx.AsyncClient, alice: User) -> None:
    for body in ({"code": 123456}, {"code": None}, {}, {"code": "123456", "extra": 1}):
        response = await client.post(f"{API}/auth/verify", json=body, headers=alice.headers)
        assert response.status_code == 422, body


async def test_malformed_codes_count_no_attempt(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, settings: TwofaSettings
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    for code in MALFORMED * 2:  # far more than max_attempts
        assert (await verify(client, alice, code)).status_code == 422
    assert len(MALFORMED) * 2 > settings.max_attempts
    assert (await verify(client, alice, totp_now(secret, clock))).status_code == 200


async def test_recovery_codes_are_not_accepted_where_only_totp_is(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    _secret, codes = await enable_totp(client, alice, clock)
    response = await client.post(
        f"{API}/recovery-codes", json={"code": codes[0]}, headers=alice.headers
    )
    assert response.status_code == 422
