"""Test doubles and helpers for the 2FA suite: a movable clock, a KMS stand-in, code helpers."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import orjson
import pyotp

from fountainai.core import UpstreamUnavailable
from fountainai.services.twofa.clock import Clock
from fountainai.services.twofa.codes.formats import Method
from fountainai.services.twofa.kms_client import KmsUser, SteppedUpToken
from tests.support.tokens import LocalIssuer

API = "/api/v1"
STEP = 30


class MovableClock(Clock):
    """Frozen mid-way through a TOTP step; tests move it with :meth:`advance`."""

    def __init__(self) -> None:
        self.frozen: float = (int(time.time()) // STEP) * STEP + STEP // 2

    def time(self) -> float:
        return float(self.frozen)

    def advance(self, seconds: float) -> None:
        self.frozen += seconds


@dataclass
class FakeKms:
    """The KMS side of 2FA, in-process: mints step-up tokens with the test issuer."""

    issuer: LocalIssuer
    down: bool = False
    mfa_flags: list[tuple[str, bool]] = field(default_factory=list)
    step_ups: list[tuple[str, Method]] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # username -> id

    def _check_up(self) -> None:
        if self.down:
            raise UpstreamUnavailable("kms: connection failed (test)")

    async def set_mfa_enabled(self, user_id: str, *, enabled: bool) -> None:
        self._check_up()
        self.mfa_flags.append((user_id, enabled))

    async def step_up(self, subject_token: str, *, method: Method) -> SteppedUpToken:
        self._check_up()
        claims = jwt.decode(subject_token, options={"verify_signature": False})
        now = int(time.time())
        amr = sorted({*claims["amr"], "otp"})
        token = self.issuer.token(
            *claims["roles"],
            username=claims["preferred_username"],
            sub=claims["sub"],
            amr=amr,
            auth_time=now,
        )
        self.step_ups.append((claims["sub"], method))
        return SteppedUpToken(access_token=token, expires_in=600, amr=amr, auth_time=now)

    async def find_user(self, username: str, *, bearer_token: str) -> KmsUser | None:
        self._check_up()
        user_id = self.users.get(username)
        return KmsUser(id=user_id, username=username) if user_id else None


@dataclass
class User:
    subject: str
    username: str
    headers: dict[str, str]
    token: str


def make_user(issuer: LocalIssuer, username: str, *roles: str, **claims: Any) -> User:
    subject = str(uuid.uuid4())
    token = issuer.token(*(roles or ("reader",)), username=username, sub=subject, **claims)
    return User(subject, username, {"Authorization": f"Bearer {token}"}, token)


def service_headers(issuer: LocalIssuer, scope: str = "mfa:verify") -> dict[str, str]:
    """A service token as the KMS mints for itself (sub ``service:kms``)."""
    token = issuer.token(sub="service:kms", scope=scope, amr=[], username="kms")
    return {"Authorization": f"Bearer {token}"}


def totp_now(secret: str, clock: MovableClock, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock.time() + steps * STEP)


def wrong_totp(secret: str, clock: MovableClock) -> str:
    """Six digits that are no valid code near now (not even a neighbouring step's)."""
    near = {totp_now(secret, clock, steps) for steps in range(-3, 4)}
    return next(code for n in range(10) if (code := f"{n}{n}{n}{n}{n}{n}") not in near)


def outbox_entries(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def last_code(path: Path, username: str) -> str:
    codes = [entry["code"] for entry in outbox_entries(path) if entry["username"] == username]
    assert codes, f"no code was delivered to {username}"
    code: str = codes[-1]
    return code


async def enroll(client: httpx.AsyncClient, user: User) -> str:
    response = await client.post(f"{API}/totp/enroll", headers=user.headers)
    assert response.status_code == 201, response.text
    secret: str = response.json()["secret"]
    return secret


async def enable_totp(
    client: httpx.AsyncClient, user: User, clock: MovableClock
) -> tuple[str, list[str]]:
    """Enrol and confirm; the clock then moves on a step so the next code is fresh."""
    secret = await enroll(client, user)
    response = await client.post(
        f"{API}/totp/confirm", json={"code": totp_now(secret, clock)}, headers=user.headers
    )
    assert response.status_code == 200, response.text
    clock.advance(STEP)
    codes: list[str] = response.json()["recoveryCodes"]
    return secret, codes


async def verify(client: httpx.AsyncClient, user: User, code: str, **extra: Any) -> httpx.Response:
    return await client.post(
        f"{API}/auth/verify", json={"code": code, **extra}, headers=user.headers
    )
