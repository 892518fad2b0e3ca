from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.services.kms.app import create_app
from fountainai.services.kms.config import KmsSettings
from tests.services.kms.fake_twofa import FakeTwoFactor

API = "/api/v1"
PASSWORD_ONLY = ("pwd",)
STEPPED_UP = ("pwd", "otp")  # with a recent auth_time: what step-up-guarded actions need


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> KmsSettings:
    # Cheap argon2 parameters keep the suite fast; the cost itself is measured in bench/.
    return KmsSettings(
        database_url=database_url,
        data_dir=tmp_path,
        argon2_time_cost=1,
        argon2_memory_kib=64,
        argon2_parallelism=1,
    )


@pytest.fixture
async def app(settings: KmsSettings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://kms.test") as c:
        yield c


async def mint_token(
    app: FastAPI,
    *,
    roles: Iterable[str],
    subject: str | None = None,
    username: str = "tester",
    amr: Iterable[str] = PASSWORD_ONLY,
    auth_time: int | None = None,
) -> str:
    """A real access token from the service's own issuer, for a principal with no account row
    unless ``subject`` names one. ``auth_time`` defaults to now; step-up-guarded actions also
    need ``amr=STEPPED_UP``."""
    async with app.state.sessionmaker() as session:
        issued = await app.state.token_issuer.issue(
            session,
            subject=subject or str(uuid.uuid4()),
            username=username,
            roles=list(roles),
            amr=list(amr),
            auth_time=int(time.time()) if auth_time is None else auth_time,
        )
        await session.commit()
    token: str = issued.token
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def admin_headers(app: FastAPI) -> dict[str, str]:
    """An admin who logged in with a password only: not enough to rotate or revoke keys."""
    return bearer(await mint_token(app, roles=["admin"], username="root"))


@pytest.fixture
async def stepped_up_headers(app: FastAPI) -> dict[str, str]:
    """An admin who used a second factor just now: may do step-up-guarded actions too."""
    return bearer(await mint_token(app, roles=["admin"], username="root", amr=STEPPED_UP))


@pytest.fixture
async def twofa() -> AsyncIterator[FakeTwoFactor]:
    """A fake 2FA service; a module that needs it points ``settings.twofa_url`` at it."""
    async with FakeTwoFactor() as fake:
        yield fake
