"""Two-factor end to end over real processes: step-up, TOTP enrolment, login with 2FA.

KMS, 2FA and Central Sequence run under uvicorn on 127.0.0.1 (SQLite and PostgreSQL), wired by the
real CLI (`fountain kms create-service-key twofa --scope mfa:assert`), as `fountain up` wires them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from tests.integration.conftest import SEED_ADMIN
from tests.integration.two_factor import (
    TwoFactorPlatform,
    running_two_factor_platform,
    two_factor_env,
)


@pytest.fixture
def platform(database_url: str, tmp_path: Path) -> Iterator[TwoFactorPlatform]:
    with running_two_factor_platform(two_factor_env(database_url, tmp_path), tmp_path) as running:
        yield running
        assert_no_code_was_ever_answered(running)


def assert_no_code_was_ever_answered(platform: TwoFactorPlatform) -> None:
    """No delivered one-time code appears in any response body or header of the run."""
    codes = platform.delivered_codes()
    assert codes, "the flow delivered no code: this check would prove nothing"
    for response in platform.responses:
        headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
        text = f"{headers}\n{response.text}"
        for code in codes:
            assert not re.search(rf"(?<!\d){code}(?!\d)", text), (code, response.url)


def test_step_up_unlocks_a_guarded_action_for_five_minutes(platform: TwoFactorPlatform) -> None:
    purge = f"{platform.sequence}/api/v1/versions/action/1"
    with platform.client(platform.token) as admin:
        refused = admin.delete(purge)
        assert refused.status_code == 401
        problem = refused.json()
        assert problem["type"].endswith("/insufficient-user-authentication")
        assert problem["stepUp"]["url"] == f"{platform.twofa}/api/v1/auth/step-up"

        # The seed's call, with the token it needs: the code goes out of band, never back.
        sent = admin.post(f"{platform.twofa}/auth/generate", json={"username": "admin"})
        assert sent.status_code == 202, sent.text
        stepped = admin.post(
            f"{platform.twofa}/api/v1/auth/step-up", json={"code": platform.last_code()}
        )
        assert stepped.status_code == 200, stepped.text
        assert "otp" in stepped.json()["amr"]
        replayed = admin.post(
            f"{platform.twofa}/api/v1/auth/step-up", json={"code": platform.last_code()}
        )
        assert replayed.status_code == 403
    with platform.client(stepped.json()["access_token"]) as elevated:
        assert elevated.delete(purge).status_code == 200
        rotated = elevated.post(
            f"{platform.kms}/api/v1/keys",
            json={"serviceName": "importer", "scopes": ["story:read"]},
        )
        assert rotated.status_code == 201, rotated.text
        assert elevated.post(f"{platform.kms}/api/v1/keys/importer/rotate").status_code == 200
    with platform.client(platform.token) as admin:
        assert admin.post(f"{platform.kms}/api/v1/keys/importer/rotate").status_code == 401


def test_totp_enrolment_then_login_needs_the_second_factor(platform: TwoFactorPlatform) -> None:
    with platform.client(platform.token) as admin:
        enrolled = admin.post(f"{platform.twofa}/api/v1/totp/enroll")
        assert enrolled.status_code == 201, enrolled.text
        totp = pyotp.TOTP(enrolled.json()["secret"])
        confirmed = admin.post(f"{platform.twofa}/api/v1/totp/confirm", json={"code": totp.now()})
        assert confirmed.status_code == 200, confirmed.text
        recovery_codes = confirmed.json()["recoveryCodes"]
        assert len(recovery_codes) == 10

    with platform.client() as anonymous:
        login = anonymous.post(f"{platform.kms}/api/v1/login", json=SEED_ADMIN).json()
        assert login["mfa_required"] is True
        assert "access_token" not in login
        ticket = login["ticket"]
        wrong = anonymous.post(
            f"{platform.kms}/api/v1/login/mfa", json={"ticket": ticket, "code": "000000"}
        )
        assert wrong.status_code == 403
        sent = anonymous.post(f"{platform.kms}/api/v1/login/mfa/code", json={"ticket": ticket})
        assert sent.status_code == 202, sent.text
        tokens = anonymous.post(
            f"{platform.kms}/api/v1/login/mfa",
            json={"ticket": ticket, "code": platform.last_code()},
        )
        assert tokens.status_code == 200, tokens.text
        assert tokens.json()["amr"] == ["pwd", "otp"]
        used = anonymous.post(
            f"{platform.kms}/api/v1/login/mfa",
            json={"ticket": ticket, "code": platform.last_code()},
        )
        assert used.status_code == 401

        # A lost phone: a recovery code logs in once, and only once.
        ticket = anonymous.post(f"{platform.kms}/api/v1/login", json=SEED_ADMIN).json()["ticket"]
        body = {"ticket": ticket, "code": recovery_codes[0]}
        assert anonymous.post(f"{platform.kms}/api/v1/login/mfa", json=body).status_code == 200
        ticket = anonymous.post(f"{platform.kms}/api/v1/login", json=SEED_ADMIN).json()["ticket"]
        body = {"ticket": ticket, "code": recovery_codes[0]}
        assert anonymous.post(f"{platform.kms}/api/v1/login/mfa", json=body).status_code == 403
