"""The scripts app against the REAL Central Sequence (uvicorn in this event loop), both backends.

Both apps trust one LocalIssuer. On SQLite each has its own file (as in production); on
PostgreSQL they share the test database (their tables never overlap).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.core.clients import SequenceClient
from fountainai.services.scripts.app import create_app
from fountainai.services.scripts.config import ScriptsSettings
from tests.support.platform import (
    FAST_RETRY,
    ServedApp,
    asgi_client,
    own_database,
    sequence_service,
)
from tests.support.tokens import LocalIssuer


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> ScriptsSettings:
    return ScriptsSettings(
        database_url=own_database(database_url, tmp_path, "scripts"),
        data_dir=tmp_path,
        log_level="WARNING",
    )


@pytest.fixture
def issuer(settings: ScriptsSettings) -> LocalIssuer:
    return LocalIssuer(settings)


@pytest.fixture
async def sequence_server(
    database_url: str, tmp_path: Path, issuer: LocalIssuer
) -> AsyncIterator[ServedApp]:
    async with sequence_service(database_url, tmp_path, issuer) as server:
        yield server


@pytest.fixture
async def app(
    settings: ScriptsSettings, issuer: LocalIssuer, sequence_server: ServedApp
) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    application.state.authenticator = issuer.authenticator()
    async with SequenceClient(sequence_server.url, retry=FAST_RETRY) as sequence:
        application.state.sequence = sequence
        async with LifespanManager(application):
            yield application


def client_for(app: FastAPI, headers: dict[str, str]) -> httpx.AsyncClient:
    return asgi_client(app, headers, host="scripts.test")


@pytest.fixture
async def client(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    """A writer's client (writers may read too)."""
    async with client_for(app, issuer.headers("writer", username="writer-1")) as c:
        yield c


@pytest.fixture
async def sequence(
    sequence_server: ServedApp, issuer: LocalIssuer
) -> AsyncIterator[httpx.AsyncClient]:
    """Central Sequence, asked directly (to check what the scripts service did there)."""
    async with httpx.AsyncClient(
        base_url=sequence_server.url, headers=issuer.headers("reader")
    ) as c:
        yield c


@pytest.fixture
async def stepped_up_client(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    """A writer who just stepped up with a one-time code (may delete scripts)."""
    token = issuer.token("writer", amr=("pwd", "otp"), auth_time=int(time.time()))
    async with client_for(app, {"Authorization": f"Bearer {token}"}) as c:
        yield c
