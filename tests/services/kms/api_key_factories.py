"""Small typed helpers the API-key tests share: issue keys, read and move their stored rows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import func, select, update

from fountainai.core.db import utcnow
from fountainai.services.kms.app import create_app
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import ApiKey, AuditEvent

KEYS = "/api/v1/keys"
INTROSPECT = f"{KEYS}/introspect"


def secret_of(api_key: str) -> str:
    """The secret part of ``fai_<12-char prefix>_<secret>`` (which may itself contain "_")."""
    return api_key[len("fai_") + 12 + 1 :]


async def create_key(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    service: str = "gateway",
    scopes: Sequence[str] = ("story:read",),
    **extra: Any,
) -> dict[str, Any]:
    response = await client.post(
        KEYS, json={"serviceName": service, "scopes": list(scopes), **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def rotate_key(
    client: httpx.AsyncClient, headers: dict[str, str], service: str = "gateway", **body: Any
) -> dict[str, Any]:
    response = await client.post(f"{KEYS}/{service}/rotate", json=body, headers=headers)
    assert response.status_code == 200, response.text
    rotated: dict[str, Any] = response.json()
    return rotated


async def introspect(client: httpx.AsyncClient, api_key: str) -> dict[str, Any]:
    response = await client.post(INTROSPECT, json={"apiKey": api_key})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def stored_key(app: FastAPI, prefix: str) -> ApiKey:
    async with app.state.sessionmaker() as session:
        key: ApiKey = (await session.scalars(select(ApiKey).where(ApiKey.prefix == prefix))).one()
        return key


async def set_key_times(app: FastAPI, prefix: str, **values: datetime | None) -> None:
    """Move a key through time by editing its row (``expires_at``, ``last_used_at`` ...)."""
    async with app.state.sessionmaker() as session:
        await session.execute(update(ApiKey).where(ApiKey.prefix == prefix).values(**values))
        await session.commit()


async def expire_key(app: FastAPI, prefix: str) -> None:
    await set_key_times(app, prefix, expires_at=utcnow() - timedelta(seconds=1))


async def counts(app: FastAPI) -> tuple[int, int]:
    """Rows in the API-key and audit tables: what a refused request must leave alone."""
    async with app.state.sessionmaker() as session:
        keys = await session.scalar(select(func.count()).select_from(ApiKey))
        events = await session.scalar(select(func.count()).select_from(AuditEvent))
        return keys or 0, events or 0


@asynccontextmanager
async def kms_client(settings: KmsSettings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """A KMS app of its own, for settings other than the fixture's."""
    application = create_app(settings)
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://kms.test") as client:
            yield application, client
