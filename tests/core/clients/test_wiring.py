"""forwarded_credentials, the sequence_client lifespan hook and the FastAPI dependencies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from aiohttp import web
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.core import ServiceSettings
from fountainai.core.clients import (
    ForwardedCredentials,
    SequenceClient,
    SequenceDep,
    forwarded_credentials,
    sequence_client,
)
from fountainai.core.elements import ElementType
from tests.support.fake_server import FakeServer

PLACED = {"sequenceNumber": 4, "elementType": "note", "elementId": 3, "scriptId": 2}


def test_forwarded_credentials_copies_exactly_one_auth_header() -> None:
    both = {"authorization": "Bearer a", "x-api-key": "fai_k", "Cookie": "c", "X-Request-ID": "r"}
    assert forwarded_credentials(both) == {"Authorization": "Bearer a"}
    assert forwarded_credentials({"X-Api-Key": "fai_k", "Host": "h"}) == {"X-API-Key": "fai_k"}
    assert forwarded_credentials({"Cookie": "c"}) == {}


class RecordingSequence(FakeServer):
    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.headers.append(dict(request.headers))
        return web.json_response(PLACED)


def story_app(settings: ServiceSettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with sequence_client(app, settings):
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/notes/{note_id}/number")
    async def number(note_id: int, sequence: SequenceDep, credentials: ForwardedCredentials) -> int:
        placed = await sequence.get_number(ElementType.NOTE, note_id, credentials=credentials)
        return placed.sequence_number

    return app


async def test_hook_serves_endpoints_and_closes_its_client() -> None:
    async with RecordingSequence() as upstream:
        app = story_app(ServiceSettings(sequence_url=upstream.url))
        async with LifespanManager(app):
            client = app.state.sequence
            assert isinstance(client, SequenceClient)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://story") as http:
                answer = await http.get(
                    "/notes/3/number", headers={"X-API-Key": "fai_k", "Cookie": "c"}
                )
        assert (answer.status_code, answer.json()) == (200, 4)
        assert app.state.sequence is None
        assert client.http._session is None
    assert upstream.headers[0]["X-API-Key"] == "fai_k"
    assert "Cookie" not in upstream.headers[0]


async def test_hook_leaves_a_preset_client_alone() -> None:
    app = story_app(ServiceSettings())
    preset = SequenceClient("http://sequence.test")
    app.state.sequence = preset
    async with LifespanManager(app):
        assert app.state.sequence is preset
    assert app.state.sequence is preset
