from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.services.kms.app import create_app
from fountainai.services.kms.config import KmsSettings

API = "/api/v1"


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
    amr: Iterable[str] = ("pwd",),
) -> str:
    """A real access token from the service's own issuer, for a principal with no account row."""
    async with app.state.sessionmaker() as session:
        issued = await app.state.token_issuer.issue(
            session,
            subject=subject or str(uuid.uuid4()),
            username=username,
            roles=list(roles),
            amr=list(amr),
            auth_time=0,
        )
        await session.commit()
    token: str = issued.token
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def admin_headers(app: FastAPI) -> dict[str, str]:
    return bearer(await mint_token(app, roles=["admin"], username="root"))
