"""The sessions app against the REAL Central Sequence (uvicorn in this event loop), both backends.

Both apps trust one LocalIssuer. On SQLite each has its own file (as in production); on
PostgreSQL they share the test database (their tables never overlap). A session's script and a
context's element must be live, i.e. numbered there: tests number them with ``number`` (as the
owning service would) and take them out with ``unnumber`` (as a delete would).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.core.clients import SequenceClient
from fountainai.services.sessions.app import create_app
from fountainai.services.sessions.config import SessionsSettings
from tests.services.scripts.conftest import sequence_server
from tests.support.platform import FAST_RETRY, ServedApp, own_database
from tests.support.tokens import LocalIssuer

__all__ = ["sequence_server"]

SESSIONS = "/api/v1/sessions"
CONTEXTS = "/api/v1/contexts"
SEQUENCE = "/api/v1/sequence"


@dataclass(frozen=True)
class User:
    """A stable identity: every token made for it carries the same subject."""

    subject: str
    name: str
    role: str

    def headers(self, issuer: LocalIssuer) -> dict[str, str]:
        token = issuer.token(self.role, username=self.name, sub=self.subject)
        return {"Authorization": f"Bearer {token}"}


ALICE = User("11111111-1111-4111-8111-111111111111", "alice", "writer")
BOB = User("22222222-2222-4222-8222-222222222222", "bob", "writer")
ROOT = User("33333333-3333-4333-8333-333333333333", "root", "admin")
READER = User("44444444-4444-4444-8444-444444444444", "rita", "reader")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> SessionsSettings:
    return SessionsSettings(
        database_url=own_database(database_url, tmp_path, "sessions"),
        data_dir=tmp_path,
        log_json=True,
    )


@pytest.fixture
def issuer(settings: SessionsSettings) -> LocalIssuer:
    return LocalIssuer(settings)


@pytest.fixture
async def app(
    settings: SessionsSettings, issuer: LocalIssuer, sequence_server: ServedApp
) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    application.state.authenticator = issuer.authenticator()
    async with SequenceClient(sequence_server.url, retry=FAST_RETRY) as sequence_client:
        application.state.sequence = sequence_client
        async with LifespanManager(application):
            yield application


@pytest.fixture
async def sequence(
    sequence_server: ServedApp, issuer: LocalIssuer
) -> AsyncIterator[httpx.AsyncClient]:
    """Central Sequence, asked directly by a writer (to number elements as their owners do)."""
    async with httpx.AsyncClient(
        base_url=sequence_server.url, headers=issuer.headers("writer")
    ) as c:
        yield c


async def number(
    sequence: httpx.AsyncClient,
    element_type: str,
    element_id: int,
    *,
    script_id: int | None = None,
) -> int:
    """Number an element at Central Sequence, as its owning service does when it creates one
    (a script in its own order; any other kind needs ``script_id``): it is then live."""
    body: dict[str, Any] = {"elementType": element_type, "elementId": element_id}
    if script_id is not None:
        body["scriptId"] = script_id
    response = await sequence.post(SEQUENCE, json=body)
    assert response.status_code in (200, 201), response.text
    sequence_number: int = response.json()["sequenceNumber"]
    return sequence_number


async def unnumber(sequence: httpx.AsyncClient, element_type: str, element_id: int) -> None:
    """Take an element out of its script's order, as its owning service does when it deletes it."""
    response = await sequence.delete(f"{SEQUENCE}/{element_type}/{element_id}")
    assert response.status_code == 200, response.text


def client_for(app: FastAPI, headers: dict[str, str]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://sessions.test", headers=headers)


@pytest.fixture
async def alice(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app, ALICE.headers(issuer)) as c:
        yield c


@pytest.fixture
async def bob(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app, BOB.headers(issuer)) as c:
        yield c


@pytest.fixture
async def root(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app, ROOT.headers(issuer)) as c:
        yield c


@pytest.fixture
async def reader(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app, READER.headers(issuer)) as c:
        yield c


async def create_session(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post(SESSIONS, json={"title": "Draft", **body})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def snapshot(admin: httpx.AsyncClient, *targets: str) -> dict[str, Any]:
    """Everything a refused request must leave untouched: all sessions, the named contexts
    (``"character/1"``) and their histories."""
    sessions = await admin.get(SESSIONS, params={"limit": 500})
    assert sessions.status_code == 200, sessions.text
    state: dict[str, Any] = {"sessions": sessions.json()["items"]}
    for target in targets:
        state[target] = (await admin.get(f"{CONTEXTS}/{target}")).json()
        state[f"{target}/history"] = (await admin.get(f"{CONTEXTS}/{target}/history")).json()
    return state
