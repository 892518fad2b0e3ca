"""Putting one ``SequenceClient`` on ``app.state.sequence`` for the app's lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from fountainai.core.clients.sequence.client import SequenceClient
from fountainai.core.config import ServiceSettings


@asynccontextmanager
async def sequence_client(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    """Lifespan hook: a started client for ``settings.sequence_url`` on ``app.state.sequence``,
    closed at shutdown. One already there (a test's) is left as it is."""
    if getattr(app.state, "sequence", None) is not None:
        yield
        return
    client = SequenceClient(settings.sequence_url)
    await client.start()
    app.state.sequence = client
    try:
        yield
    finally:
        app.state.sequence = None
        await client.close()


async def get_sequence_client(request: Request) -> SequenceClient:
    """FastAPI dependency: the app's client (the ``sequence_client`` hook must be installed)."""
    client: SequenceClient | None = getattr(request.app.state, "sequence", None)
    if client is None:
        raise RuntimeError("no app.state.sequence: add the sequence_client lifespan hook")
    return client


SequenceDep = Annotated[SequenceClient, Depends(get_sequence_client)]
