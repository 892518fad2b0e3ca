"""The characters app against the REAL Central Sequence and the REAL Scripts service (both under
uvicorn in this event loop), on both backends. Every app trusts one LocalIssuer; on SQLite each
has its own file (as in production), on PostgreSQL they share the test database."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.core.clients import ScriptsClient, SequenceClient
from fountainai.services.characters.app import create_app
from fountainai.services.characters.config import CharactersSettings
from tests.services.scripts.conftest import sequence_server
from tests.support.platform import FAST_RETRY, ServedApp, asgi_client, own_database, scripts_service
from tests.support.tokens import LocalIssuer

__all__ = ["sequence_server"]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> CharactersSettings:
    return CharactersSettings(
        database_url=own_database(database_url, tmp_path, "characters"),
        data_dir=tmp_path,
        log_level="WARNING",
    )


@pytest.fixture
def issuer(settings: CharactersSettings) -> LocalIssuer:
    return LocalIssuer(settings)


@pytest.fixture
async def scripts_server(
    database_url: str, tmp_path: Path, issuer: LocalIssuer, sequence_server: ServedApp
) -> AsyncIterator[ServedApp]:
    async with scripts_service(
        database_url, tmp_path, issuer, sequence_url=sequence_server.url
    ) as server:
        yield server


@pytest.fixture
async def app(
    settings: CharactersSettings,
    issuer: LocalIssuer,
    sequence_server: ServedApp,
    scripts_server: ServedApp,
) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    application.state.authenticator = issuer.authenticator()
    async with (
        SequenceClient(sequence_server.url, retry=FAST_RETRY) as sequence,
        ScriptsClient(scripts_server.url, retry=FAST_RETRY) as scripts,
    ):
        application.state.sequence = sequence
        application.state.scripts = scripts
        async with LifespanManager(application):
            yield application


def client_for(app: FastAPI, headers: dict[str, str]) -> httpx.AsyncClient:
    return asgi_client(app, headers, host="characters.test")


@pytest.fixture
async def client(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    """A writer's client (writers may read too)."""
    async with client_for(app, issuer.headers("writer", username="writer-1")) as c:
        yield c


@pytest.fixture
async def reader_client(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app, issuer.headers("reader", username="reader-1")) as c:
        yield c


@pytest.fixture
async def scripts(
    scripts_server: ServedApp, issuer: LocalIssuer
) -> AsyncIterator[httpx.AsyncClient]:
    """The Scripts service, asked directly (to make scripts and sections)."""
    headers = issuer.headers("writer", username="writer-1")
    async with httpx.AsyncClient(base_url=scripts_server.url, headers=headers) as c:
        yield c


@pytest.fixture
async def sequence(
    sequence_server: ServedApp, issuer: LocalIssuer
) -> AsyncIterator[httpx.AsyncClient]:
    """Central Sequence, asked directly (to check what the characters service did there)."""
    async with httpx.AsyncClient(
        base_url=sequence_server.url, headers=issuer.headers("reader")
    ) as c:
        yield c


@pytest.fixture
def stepped_up_headers(issuer: LocalIssuer) -> dict[str, str]:
    token = issuer.token("writer", amr=("pwd", "otp"), auth_time=int(time.time()))
    return {"Authorization": f"Bearer {token}"}
