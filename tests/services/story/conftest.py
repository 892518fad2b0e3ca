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
from fountainai.core.config import ServiceSettings
from fountainai.services.characters.app import create_app as create_characters_app
from fountainai.services.characters.config import CharactersSettings
from fountainai.services.scripts.app import create_app as create_scripts_app
from fountainai.services.scripts.config import ScriptsSettings
from fountainai.services.sessions.app import create_app as create_sessions_app
from fountainai.services.sessions.config import SessionsSettings
from fountainai.services.story.app import create_app
from fountainai.services.story.config import StorySettings
from tests.services.scripts.conftest import sequence_server
from tests.services.scripts.support import FAST_RETRY, ServedApp, own_database
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


async def _served(app: FastAPI, issuer: LocalIssuer) -> ServedApp:
    app.state.authenticator = issuer.authenticator()
    served = ServedApp(app)
    await served.start()
    return served


def _service_settings(
    kind: Callable[..., ServiceSettings], database_url: str, tmp_path: Path, name: str, **urls: str
) -> ServiceSettings:
    return kind(
        database_url=own_database(database_url, tmp_path, name),
        data_dir=tmp_path,
        log_level="WARNING",
        **urls,
    )


@pytest.fixture
async def scripts_server(
    database_url: str, tmp_path: Path, issuer: LocalIssuer, sequence_server: ServedApp
) -> AsyncIterator[ServedApp]:
    settings = _service_settings(
        ScriptsSettings, database_url, tmp_path, "scripts", sequence_url=sequence_server.url
    )
    served = await _served(create_scripts_app(settings), issuer)  # type: ignore[arg-type]
    yield served
    if served.running:
        await served.stop()


@pytest.fixture
async def characters_server(
    database_url: str,
    tmp_path: Path,
    issuer: LocalIssuer,
    sequence_server: ServedApp,
    scripts_server: ServedApp,
) -> AsyncIterator[ServedApp]:
    settings = _service_settings(
        CharactersSettings,
        database_url,
        tmp_path,
        "characters",
        sequence_url=sequence_server.url,
        scripts_url=scripts_server.url,
    )
    served = await _served(create_characters_app(settings), issuer)  # type: ignore[arg-type]
    yield served
    if served.running:
        await served.stop()


@pytest.fixture
async def sessions_server(
    database_url: str, tmp_path: Path, issuer: LocalIssuer, sequence_server: ServedApp
) -> AsyncIterator[ServedApp]:
    settings = _service_settings(
        SessionsSettings, database_url, tmp_path, "sessions", sequence_url=sequence_server.url
    )
    served = await _served(create_sessions_app(settings), issuer)  # type: ignore[arg-type]
    yield served
    if served.running:
        await served.stop()


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
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://story.test", headers=headers)


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
