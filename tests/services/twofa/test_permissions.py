"""Who may send and check codes for whom: self, admins (sending only), the KMS as a service."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.services.twofa.support import (
    API,
    FakeKms,
    MovableClock,
    User,
    enable_totp,
    last_code,
    service_headers,
    totp_now,
    verify,
)
from tests.support.tokens import LocalIssuer


async def generate(
    client: httpx.AsyncClient, headers: dict[str, str], username: str, **extra: str
) -> httpx.Response:
    return await client.post(
        f"{API}/auth/generate", json={"username": username, **extra}, headers=headers
    )


async def test_anonymous_callers_get_401(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("GET", "/totp"),
        ("POST", "/auth/generate"),
        ("POST", "/auth/verify"),
        ("POST", "/auth/step-up"),
    ]:
        response = await client.request(method, f"{API}{path}", json={"code": "123456"})
        assert response.status_code == 401, path


async def test_the_seed_paths_answer_at_the_root_too(
    client: httpx.AsyncClient, alice: User
) -> None:
    response = await generate(client, alice.headers, "alice")
    assert response.status_code == 202
    root = await client.post("/auth/generate", json={"username": "alice"}, headers=alice.headers)
    assert root.status_code == 202


async def test_a_plain_user_cannot_send_codes_to_another_account(
    client: httpx.AsyncClient, alice: User, bob: User, outbox: Path
) -> None:
    await generate(client, bob.headers, "bob")
    response = await generate(client, alice.headers, "bob")
    assert response.status_code == 403
    response = await generate(client, alice.headers, "alice", userId=bob.subject)
    assert response.status_code == 403


async def test_an_admin_sends_to_an_account_2fa_knows(
    client: httpx.AsyncClient, admin: User, bob: User, outbox: Path
) -> None:
    assert (await generate(client, bob.headers, "bob")).status_code == 202
    response = await generate(client, admin.headers, "bob")
    assert response.status_code == 202, response.text
    assert (await verify(client, bob, last_code(outbox, "bob"))).status_code == 200


async def test_an_admin_sends_to_an_account_only_the_kms_knows(
    client: httpx.AsyncClient, admin: User, issuer: LocalIssuer, kms: FakeKms, outbox: Path
) -> None:
    carol = User("4c1a5b3e-0000-4000-8000-000000000001", "carol", {}, "")
    kms.users["carol"] = carol.subject
    response = await generate(client, admin.headers, "Carol")
    assert response.status_code == 202, response.text
    token = issuer.token("reader", username="carol", sub=carol.subject)
    carol.headers = {"Authorization": f"Bearer {token}"}
    assert (await verify(client, carol, last_code(outbox, "carol"))).status_code == 200
    unknown = await generate(client, admin.headers, "nobody")
    assert unknown.status_code == 404
    mismatch = await generate(client, admin.headers, "carol", userId="someone-else")
    assert mismatch.status_code == 404


async def test_the_kms_service_generates_and_verifies_for_a_user(
    client: httpx.AsyncClient, issuer: LocalIssuer, alice: User, outbox: Path, clock: MovableClock
) -> None:
    kms_headers = service_headers(issuer)
    target = {"userId": alice.subject, "username": "alice"}
    response = await client.post(f"{API}/auth/generate", json=target, headers=kms_headers)
    assert response.status_code == 202, response.text
    code = last_code(outbox, "alice")
    checked = await client.post(
        f"{API}/auth/verify", json={"code": code, **target}, headers=kms_headers
    )
    assert checked.status_code == 200
    assert checked.json()["method"] == "otp"
    secret, _codes = await enable_totp(client, alice, clock)
    checked = await client.post(
        f"{API}/auth/verify", json={"code": totp_now(secret, clock), **target}, headers=kms_headers
    )
    assert checked.json()["method"] == "totp"


async def test_a_service_must_name_the_user(
    client: httpx.AsyncClient, issuer: LocalIssuer, alice: User
) -> None:
    kms_headers = service_headers(issuer)
    response = await client.post(
        f"{API}/auth/verify", json={"code": "123456", "username": "alice"}, headers=kms_headers
    )
    assert response.status_code == 422
    response = await generate(client, kms_headers, "alice")
    assert response.status_code == 422


@pytest.mark.parametrize("scope", ["", "mfa:assert", "admin"])
async def test_a_service_without_mfa_verify_is_refused(
    client: httpx.AsyncClient, issuer: LocalIssuer, alice: User, scope: str
) -> None:
    headers = service_headers(issuer, scope=scope)
    target = {"userId": alice.subject, "username": "alice"}
    response = await client.post(
        f"{API}/auth/verify", json={"code": "123456", **target}, headers=headers
    )
    assert response.status_code == 403
    response = await client.post(f"{API}/auth/generate", json=target, headers=headers)
    assert response.status_code == 403


async def test_a_user_cannot_verify_for_someone_else(
    client: httpx.AsyncClient, alice: User, bob: User, outbox: Path, issuer: LocalIssuer
) -> None:
    await generate(client, bob.headers, "bob")
    code = last_code(outbox, "bob")
    assert (await verify(client, alice, code, username="bob")).status_code == 403
    assert (await verify(client, alice, code, userId=bob.subject)).status_code == 403
    # A user token carrying the service scope is still a user.
    sneaky = issuer.token("admin", username="alice", sub=alice.subject, scope="mfa:verify")
    response = await client.post(
        f"{API}/auth/verify",
        json={"code": code, "userId": bob.subject, "username": "bob"},
        headers={"Authorization": f"Bearer {sneaky}"},
    )
    assert response.status_code == 403
    assert (await verify(client, bob, code)).status_code == 200  # never counted against bob


async def test_services_have_no_second_factors_of_their_own(
    client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    headers = service_headers(issuer)
    assert (await client.get(f"{API}/totp", headers=headers)).status_code == 403
    assert (await client.post(f"{API}/totp/enroll", headers=headers)).status_code == 403
    response = await client.post(f"{API}/auth/step-up", json={"code": "123456"}, headers=headers)
    assert response.status_code == 403
