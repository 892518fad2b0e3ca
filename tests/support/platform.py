"""The real services under uvicorn in the test's own event loop, wired to each other: what the
conftests of services that call other services share.

Each ``*_service`` context serves one app on a free port, trusting ``issuer``, on its own
SQLite file (as in production) or the shared PostgreSQL test database (the services' tables
never overlap), and stops it after (unless a test stopped it already).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp

from fountainai.core.http import RetryPolicy
from fountainai.services.characters.app import create_app as create_characters_app
from fountainai.services.characters.config import CharactersSettings
from fountainai.services.scripts.app import create_app as create_scripts_app
from fountainai.services.scripts.config import ScriptsSettings
from fountainai.services.sequence.app import create_app as create_sequence_app
from fountainai.services.sequence.config import SequenceSettings
from fountainai.services.sessions.app import create_app as create_sessions_app
from fountainai.services.sessions.config import SessionsSettings
from tests.support.tokens import LocalIssuer

FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.005)


def own_database(database_url: str, tmp_path: Path, name: str) -> str:
    """A service's database: its own file on SQLite (as in production), the shared test
    database on PostgreSQL (the services' tables never overlap)."""
    if database_url.startswith("sqlite"):
        return f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}"
    return database_url


class ServedApp:
    """An ASGI app under uvicorn on 127.0.0.1 in this event loop; stoppable and restartable on
    the same port (to take Central Sequence down and bring it back)."""

    def __init__(self, app: ASGIApp, *, proxy_headers: bool = True) -> None:
        self.app = app
        self.proxy_headers = proxy_headers  # False for the gateway: it reads them itself
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._serving: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            proxy_headers=self.proxy_headers,
        )
        server = uvicorn.Server(config)
        self._server = server
        self._serving = asyncio.create_task(server.serve())
        async with asyncio.timeout(20):
            while not server.started:
                assert not self._serving.done(), "the server stopped while starting"
                await asyncio.sleep(0.01)
        self.port = server.servers[0].sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        assert self._serving is not None
        self._server.should_exit = True
        await self._serving
        self._server = self._serving = None


@asynccontextmanager
async def served(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[ServedApp]:
    """``app`` under uvicorn, trusting ``issuer``'s tokens."""
    app.state.authenticator = issuer.authenticator()
    server = ServedApp(app)
    await server.start()
    try:
        yield server
    finally:
        if server.running:
            await server.stop()


def _service(
    create: Callable[[Any], FastAPI], settings_type: Callable[..., Any], name: str
) -> Callable[..., AbstractAsyncContextManager[ServedApp]]:
    @asynccontextmanager
    async def service(
        database_url: str, tmp_path: Path, issuer: LocalIssuer, **urls: str
    ) -> AsyncIterator[ServedApp]:
        settings = settings_type(
            database_url=own_database(database_url, tmp_path, name),
            data_dir=tmp_path,
            log_level="WARNING",
            **urls,
        )
        async with served(create(settings), issuer) as server:
            yield server

    service.__doc__ = f"The real {name} service; ``urls``: its *_url settings."
    return service


sequence_service = _service(create_sequence_app, SequenceSettings, "sequence")
scripts_service = _service(create_scripts_app, ScriptsSettings, "scripts")
characters_service = _service(create_characters_app, CharactersSettings, "characters")
sessions_service = _service(create_sessions_app, SessionsSettings, "sessions")


def asgi_client(app: FastAPI, headers: dict[str, str], *, host: str) -> httpx.AsyncClient:
    """A client of ``app`` in process (no server), as ``http://<host>``."""
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url=f"http://{host}", headers=headers)
