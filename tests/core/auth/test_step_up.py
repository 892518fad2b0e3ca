"""Step-up: guarded actions need ``otp`` in ``amr`` and an ``auth_time`` within the window."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from fountainai.core.auth import Principal, Role, scopes_for_roles
from fountainai.core.crypto import MasterKey, MasterKeyError
from tests.core.auth.helpers import DROP, SigningKey, mint

GUARDED = "/api/v1/stepped-up"


def admin_token(key: SigningKey, **changes: Any) -> dict[str, str]:
    token = mint(key, roles=["admin"], scope=scopes_for_roles([Role.ADMIN]), **changes)
    return {"Authorization": f"Bearer {token}"}


async def test_a_fresh_second_factor_passes(client: httpx.AsyncClient, key: SigningKey) -> None:
    now = int(time.time())
    headers = admin_token(key, amr=["pwd", "otp"], auth_time=now - 5)
    response = await client.get(GUARDED, headers=headers)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("amr", "age", "why"),
    [
        (["pwd"], 5, "no otp in amr"),
        (["pwd", "otp"], 301, "second factor older than 5 minutes"),
        (["pwd", "otp"], None, "no auth_time"),
        (["otp "], 5, "otp look-alike"),
        (["OTP"], 5, "otp in the wrong case"),
        ([], 5, "no methods at all"),
    ],
)
async def test_without_a_recent_second_factor_is_401_insufficient_user_authentication(
    client: httpx.AsyncClient, key: SigningKey, amr: list[str], age: int | None, why: str
) -> None:
    auth_time = DROP if age is None else int(time.time()) - age
    response = await client.get(GUARDED, headers=admin_token(key, amr=amr, auth_time=auth_time))
    assert response.status_code == 401, why
    assert response.headers["content-type"] == "application/problem+json"
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith(
        'Bearer realm="fountainai", error="insufficient_user_authentication"'
    )
    assert challenge.endswith("max_age=300")
    body = response.json()
    assert body["type"].endswith("/insufficient-user-authentication")
    assert body["maxAge"] == 300
    assert body["stepUp"] == {"method": "POST", "url": "http://127.0.0.1:8004/api/v1/auth/step-up"}
    assert "/api/v1/auth/step-up" in body["detail"]


async def test_the_role_is_still_required(client: httpx.AsyncClient, key: SigningKey) -> None:
    token = mint(key, amr=["pwd", "otp"], auth_time=int(time.time()))
    response = await client.get(GUARDED, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


async def test_anonymous_is_a_plain_401(client: httpx.AsyncClient) -> None:
    response = await client.get(GUARDED)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="fountainai"'


async def test_a_service_subject_is_a_service_principal(
    client: httpx.AsyncClient, key: SigningKey
) -> None:
    token = mint(key, sub="service:kms", roles=[], scope="mfa:verify", amr=[])
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["kind"] == "service"
    assert response.json()["scopes"] == ["mfa:verify"]


def test_recent_otp_is_measured_from_auth_time() -> None:
    now = 1_000_000.0
    principal = Principal(
        subject="u",
        kind="user",
        roles=frozenset(),
        scopes=frozenset(),
        amr=("pwd", "otp"),
        auth_time=int(now) - 300,
    )
    assert principal.has_recent_otp(300, now=now)
    assert not principal.has_recent_otp(299, now=now)


def test_derived_keys_differ_by_purpose_and_master_key() -> None:
    first, second = MasterKey(b"a" * 32), MasterKey(b"b" * 32)
    assert first.derive("pepper") == first.derive("pepper")
    assert first.derive("pepper") != first.derive("other")
    assert first.derive("pepper") != second.derive("pepper")
    assert len(first.derive("pepper")) == 32
    with pytest.raises(MasterKeyError):
        MasterKey(b"short")
