"""The real Central Sequence, Scripts and Characters services under uvicorn, in the test's own
event loop, on free ports (both backends; every app trusts the sequence fixture's LocalIssuer)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn

from fountainai.core.clients import CharactersClient, ScriptsClient, SequenceClient
from fountainai.services.sequence.app import create_app
from fountainai.services.sequence.config import SequenceSettings
from tests.core.clients.support import FAST_RETRY, SequenceServer
from tests.support.platform import ServedApp, characters_service, scripts_service
from tests.support.tokens import LocalIssuer


@pytest.fixture
async def sequence_server(database_url: str, tmp_path: Path) -> AsyncIterator[SequenceServer]:
    settings = SequenceSettings(database_url=database_url, data_dir=tmp_path, log_level="WARNING")
    issuer = LocalIssuer(settings)
    app = create_app(settings)
    app.state.authenticator = issuer.authenticator()
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    async with asyncio.timeout(20):
        while not server.started:
            assert not serving.done(), "the sequence server stopped while starting"
            await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield SequenceServer(f"http://127.0.0.1:{port}", issuer)
    server.should_exit = True
    await serving


@pytest.fixture
async def sequence(sequence_server: SequenceServer) -> AsyncIterator[SequenceClient]:
    async with SequenceClient(sequence_server.url, retry=FAST_RETRY) as client:
        yield client


@pytest.fixture
def writer(sequence_server: SequenceServer) -> dict[str, str]:
    return sequence_server.credentials("writer")


@pytest.fixture
def reader(sequence_server: SequenceServer) -> dict[str, str]:
    return sequence_server.credentials("reader")


@pytest.fixture
async def scripts_server(
    sequence_server: SequenceServer, database_url: str, tmp_path: Path
) -> AsyncIterator[ServedApp]:
    """The real Scripts service, numbering at the real Central Sequence."""
    async with scripts_service(
        database_url, tmp_path, sequence_server.issuer, sequence_url=sequence_server.url
    ) as server:
        yield server


@pytest.fixture
async def scripts(scripts_server: ServedApp) -> AsyncIterator[ScriptsClient]:
    async with ScriptsClient(scripts_server.url, retry=FAST_RETRY) as client:
        yield client


@pytest.fixture
async def characters_server(
    sequence_server: SequenceServer,
    scripts_server: ServedApp,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[ServedApp]:
    # Its lifespan hooks make its own Sequence and Scripts clients from these URLs.
    async with characters_service(
        database_url,
        tmp_path,
        sequence_server.issuer,
        sequence_url=sequence_server.url,
        scripts_url=scripts_server.url,
    ) as server:
        yield server


@pytest.fixture
async def characters(characters_server: ServedApp) -> AsyncIterator[CharactersClient]:
    async with CharactersClient(characters_server.url, retry=FAST_RETRY) as client:
        yield client
