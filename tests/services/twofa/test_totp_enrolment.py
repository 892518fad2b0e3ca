"""Enrolment: secret, URI and QR codes; confirm with a first code; the KMS flag; disabling."""

from __future__ import annotations

import base64
import re

import httpx
import pyotp
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.services.twofa.models import TotpEnrolment
from tests.services.twofa.support import (
    API,
    FakeKms,
    MovableClock,
    User,
    enable_totp,
    enroll,
    totp_now,
    wrong_totp,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RECOVERY_FORMAT = re.compile(r"^[2-9a-hjkmnp-z]{4}(-[2-9a-hjkmnp-z]{4}){3}$")


async def status_of(client: httpx.AsyncClient, user: User) -> dict[str, object]:
    response = await client.get(f"{API}/totp", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_a_new_account_has_nothing_enabled(client: httpx.AsyncClient, alice: User) -> None:
    assert await status_of(client, alice) == {
        "enabled": False,
        "pending": False,
        "confirmedAt": None,
        "recoveryCodesRemaining": 0,
    }


async def test_enroll_answers_secret_uri_and_both_qr_images(
    client: httpx.AsyncClient, alice: User
) -> None:
    response = await client.post(f"{API}/totp/enroll", headers=alice.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert len(base64.b32decode(body["secret"])) == 20  # 160 bits
    parsed = pyotp.parse_uri(body["otpauthUri"])
    assert isinstance(parsed, pyotp.TOTP)
    assert parsed.secret == body["secret"]
    assert parsed.issuer == "FountainAI"
    assert parsed.name == "alice"
    assert body["qrSvg"].startswith("<svg")
    prefix = "data:image/png;base64,"
    assert body["qrPngDataUri"].startswith(prefix)
    assert base64.b64decode(body["qrPngDataUri"][len(prefix) :]).startswith(PNG_SIGNATURE)
    assert (await status_of(client, alice))["pending"] is True


async def test_qr_endpoint_serves_real_png_and_svg_of_the_pending_enrolment(
    client: httpx.AsyncClient, alice: User
) -> None:
    missing = await client.get(f"{API}/totp/qr", headers=alice.headers)
    assert missing.status_code == 404
    await enroll(client, alice)
    png = await client.get(f"{API}/totp/qr", params={"format": "png"}, headers=alice.headers)
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(PNG_SIGNATURE)
    assert png.headers["cache-control"] == "no-store"
    svg = await client.get(f"{API}/totp/qr", params={"format": "svg"}, headers=alice.headers)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg")
    assert svg.text.rstrip().endswith("</svg>")
    bad = await client.get(f"{API}/totp/qr", params={"format": "gif"}, headers=alice.headers)
    assert bad.status_code == 422


async def test_confirm_enables_with_ten_recovery_codes_and_sets_the_kms_flag(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms
) -> None:
    _secret, codes = await enable_totp(client, alice, clock)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(RECOVERY_FORMAT.match(code) for code in codes)
    assert kms.mfa_flags == [(alice.subject, True)]
    status = await status_of(client, alice)
    assert status["enabled"] is True
    assert status["pending"] is False
    assert status["recoveryCodesRemaining"] == 10
    assert status["confirmedAt"] is not None
    again = await client.post(f"{API}/totp/enroll", headers=alice.headers)
    assert again.status_code == 409
    assert (await client.get(f"{API}/totp/qr", headers=alice.headers)).status_code == 404
    confirm_again = await client.post(
        f"{API}/totp/confirm", json={"code": "123456"}, headers=alice.headers
    )
    assert confirm_again.status_code == 409


async def test_confirm_rejects_a_wrong_code_and_stays_pending(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms
) -> None:
    secret = await enroll(client, alice)
    wrong = wrong_totp(secret, clock)
    response = await client.post(f"{API}/totp/confirm", json={"code": wrong}, headers=alice.headers)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/code-rejected")
    assert (await status_of(client, alice))["pending"] is True
    assert kms.mfa_flags == []


async def test_confirm_without_enrolment_is_404(client: httpx.AsyncClient, alice: User) -> None:
    response = await client.post(
        f"{API}/totp/confirm", json={"code": "123456"}, headers=alice.headers
    )
    assert response.status_code == 404


async def test_re_enrolling_while_pending_replaces_the_secret(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    first = await enroll(client, alice)
    second = await enroll(client, alice)
    assert first != second
    stale = await client.post(
        f"{API}/totp/confirm", json={"code": totp_now(first, clock)}, headers=alice.headers
    )
    assert stale.status_code == 403
    fresh = await client.post(
        f"{API}/totp/confirm", json={"code": totp_now(second, clock)}, headers=alice.headers
    )
    assert fresh.status_code == 200


async def test_the_secret_is_sealed_at_rest(
    client: httpx.AsyncClient, app: FastAPI, alice: User
) -> None:
    secret = await enroll(client, alice)
    async with app.state.sessionmaker() as session:
        row = (await session.scalars(select(TotpEnrolment))).one()
    assert secret.encode() not in row.secret_sealed
    assert base64.b32decode(secret) not in row.secret_sealed


async def test_confirm_changes_nothing_when_the_kms_is_down(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms
) -> None:
    secret = await enroll(client, alice)
    kms.down = True
    code = totp_now(secret, clock)
    response = await client.post(f"{API}/totp/confirm", json={"code": code}, headers=alice.headers)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    status = await status_of(client, alice)
    assert status["pending"] is True
    assert status["enabled"] is False
    kms.down = False  # the same code still works: the failed request left no trace
    response = await client.post(f"{API}/totp/confirm", json={"code": code}, headers=alice.headers)
    assert response.status_code == 200
    assert kms.mfa_flags == [(alice.subject, True)]


async def test_disable_with_a_totp_code_clears_everything_and_the_kms_flag(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms
) -> None:
    secret, codes = await enable_totp(client, alice, clock)
    response = await client.request(
        "DELETE", f"{API}/totp", json={"code": totp_now(secret, clock)}, headers=alice.headers
    )
    assert response.status_code == 204, response.text
    assert kms.mfa_flags == [(alice.subject, True), (alice.subject, False)]
    assert (await status_of(client, alice))["enabled"] is False
    clock.advance(30)
    recovery = await client.post(
        f"{API}/auth/verify", json={"code": codes[0]}, headers=alice.headers
    )
    assert recovery.status_code == 403  # recovery codes went with it


async def test_disable_with_a_recovery_code(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    _secret, codes = await enable_totp(client, alice, clock)
    response = await client.request(
        "DELETE", f"{API}/totp", json={"code": codes[3].upper()}, headers=alice.headers
    )
    assert response.status_code == 204


async def test_disable_needs_a_valid_code_and_an_enabled_totp(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms
) -> None:
    not_enabled = await client.request(
        "DELETE", f"{API}/totp", json={"code": "123456"}, headers=alice.headers
    )
    assert not_enabled.status_code == 404
    secret, _codes = await enable_totp(client, alice, clock)
    wrong = wrong_totp(secret, clock)
    response = await client.request(
        "DELETE", f"{API}/totp", json={"code": wrong}, headers=alice.headers
    )
    assert response.status_code == 403
    assert (await status_of(client, alice))["enabled"] is True
    missing = await client.request("DELETE", f"{API}/totp", json={}, headers=alice.headers)
    assert missing.status_code == 422


async def test_disable_changes_nothing_when_the_kms_is_down(
    client: httpx.AsyncClient, alice: User, clock: MovableClock, kms: FakeKms
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    kms.down = True
    response = await client.request(
        "DELETE", f"{API}/totp", json={"code": totp_now(secret, clock)}, headers=alice.headers
    )
    assert response.status_code == 503
    status = await status_of(client, alice)
    assert status["enabled"] is True
    assert status["recoveryCodesRemaining"] == 10
    assert kms.mfa_flags == [(alice.subject, True)]
