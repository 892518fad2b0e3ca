"""The Story Factory against the REAL Central Sequence, Scripts, Characters and Sessions
services (each under uvicorn in this event loop), on both backends. Every app trusts one
LocalIssuer; on SQLite each has its own file, on PostgreSQL they share the test database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.core.clients import CharactersClient, ScriptsClient, SequenceClient, SessionsClient
from fountainai.services.story.app import create_app
from fountainai.services.story.config import StorySettings
from tests.services.scripts.conftest import sequence_server
from tests.support.platform import (
    FAST_RETRY,
    ServedApp,
    asgi_client,
    characters_service,
    own_database,
    scripts_service,
    sessions_service,
)
from tests.support.tokens import LocalIssuer

__all__ = ["sequence_server"]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> StorySettings:
    return StorySettings(
        database_url=own_database(database_url, tmp_path, "story"),
        data_dir=tmp_path,
        log_level="WARNING",
    )


@pytest.fixture
def issuer(settings: StorySettings) -> LocalIssuer:
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
async def characters_server(
    database_url: str,
    tmp_path: Path,
    issuer: LocalIssuer,
    sequence_server: ServedApp,
    scripts_server: ServedApp,
) -> AsyncIterator[ServedApp]:
    async with characters_service(
        database_url,
        tmp_path,
        issuer,
        sequence_url=sequence_server.url,
        scripts_url=scripts_server.url,
    ) as server:
        yield server


@pytest.fixture
async def sessions_server(
    database_url: str, tmp_path: Path, issuer: LocalIssuer, sequence_server: ServedApp
) -> AsyncIterator[ServedApp]:
    async with sessions_service(
        database_url, tmp_path, issuer, sequence_url=sequence_server.url
    ) as server:
        yield server


@pytest.fixture
async def app(
    settings: StorySettings,
    issuer: LocalIssuer,
    sequence_server: ServedApp,
    scripts_server: ServedApp,
    characters_server: ServedApp,
    sessions_server: ServedApp,
) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    application.state.authenticator = issuer.authenticator()
    async with (
        SequenceClient(sequence_server.url, retry=FAST_RETRY) as sequence,
        ScriptsClient(scripts_server.url, retry=FAST_RETRY) as scripts,
        CharactersClient(characters_server.url, retry=FAST_RETRY) as characters,
        SessionsClient(sessions_server.url, retry=FAST_RETRY) as sessions,
    ):
        application.state.sequence = sequence
        application.state.scripts = scripts
        application.state.characters = characters
        application.state.sessions = sessions
        async with LifespanManager(application):
            yield application


def client_for(app: FastAPI, headers: dict[str, str]) -> httpx.AsyncClient:
    return asgi_client(app, headers, host="story.test")


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
def service_client(issuer: LocalIssuer) -> Callable[[ServedApp], httpx.AsyncClient]:
    """A writer's client of another service, asked directly (to check what the import did)."""

    def make(server: ServedApp) -> httpx.AsyncClient:
        headers = issuer.headers("writer", username="writer-1")
        return httpx.AsyncClient(base_url=server.url, headers=headers)

    return make
