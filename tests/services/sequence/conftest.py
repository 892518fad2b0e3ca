from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.services.sequence.app import create_app
from fountainai.services.sequence.config import SequenceSettings
from tests.support.tokens import LocalIssuer

SEQUENCE = "/api/v1/sequence"


@pytest.fixture
def settings(database_url: str, tmp_path: Any) -> SequenceSettings:
    return SequenceSettings(database_url=database_url, data_dir=tmp_path, log_json=True)


@pytest.fixture
def issuer(settings: SequenceSettings) -> LocalIssuer:
    return LocalIssuer(settings)


@pytest.fixture
async def app(settings: SequenceSettings, issuer: LocalIssuer) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    application.state.authenticator = issuer.authenticator()
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI, issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    """A writer's client (writers may read too); see test_auth.py for the other roles."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://sequence.test",
        headers=issuer.headers("writer", username="writer-1"),
    ) as c:
        yield c


async def allocate(
    client: httpx.AsyncClient, element_type: str, element_id: int, script_id: int = 1, **extra: Any
) -> dict[str, Any]:
    response = await client.post(
        SEQUENCE,
        json={"elementType": element_type, "elementId": element_id, "scriptId": script_id, **extra},
    )
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


async def reading_order(client: httpx.AsyncClient, script_id: int = 1) -> list[tuple[str, int]]:
    response = await client.get(SEQUENCE, params={"scriptId": script_id, "limit": 500})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    numbers = [item["sequenceNumber"] for item in items]
    assert numbers == list(range(1, len(items) + 1)), f"not dense 1..n: {numbers}"
    return [(item["elementType"], item["elementId"]) for item in items]


async def snapshot(client: httpx.AsyncClient, script_id: int = 1) -> dict[str, Any]:
    """Everything a bad request must leave untouched."""
    audit = await client.get("/api/v1/audit", params={"limit": 500})
    return {"order": await reading_order(client, script_id), "audit": audit.json()["items"]}
