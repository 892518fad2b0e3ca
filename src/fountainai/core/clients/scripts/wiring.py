"""Putting one ``ScriptsClient`` on ``app.state.scripts`` for the app's lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from fountainai.core.clients.scripts.client import ScriptsClient
from fountainai.core.config import ServiceSettings


@asynccontextmanager
async def scripts_client(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    """Lifespan hook: a started client for ``settings.scripts_url`` on ``app.state.scripts``,
    closed at shutdown. One already there (a test's) is left as it is."""
    if getattr(app.state, "scripts", None) is not None:
        yield
        return
    client = ScriptsClient(settings.scripts_url)
    await client.start()
    app.state.scripts = client
    try:
        yield
    finally:
        app.state.scripts = None
        await client.close()


async def get_scripts_client(request: Request) -> ScriptsClient:
    """FastAPI dependency: the app's client (the ``scripts_client`` hook must be installed)."""
    client: ScriptsClient | None = getattr(request.app.state, "scripts", None)
    if client is None:
        raise RuntimeError("no app.state.scripts: add the scripts_client lifespan hook")
    return client


ScriptsDep = Annotated[ScriptsClient, Depends(get_scripts_client)]
