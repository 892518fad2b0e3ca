"""/health/live does no I/O; /health/ready answers 503 problem+json when the database is gone."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import asyncpg
import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from fountainai.services.sequence.app import create_app
from fountainai.services.sequence.config import SequenceSettings
from tests.conftest import POSTGRES_URL, unavailable
from tests.support.tokens import LocalIssuer


def _client(app: FastAPI) -> httpx.AsyncClient:
    """A writer's client; the app verifies its token with a preset local key (no KMS needed)."""
    issuer = LocalIssuer(app.state.settings)
    app.state.authenticator = issuer.authenticator()
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(
        transport=transport, base_url="http://health.test", headers=issuer.headers("writer")
    )


async def test_ready_is_200_with_a_working_database(database_url: str) -> None:
    app = create_app(SequenceSettings(database_url=database_url))
    async with _client(app) as client, LifespanManager(app):
        ready = await client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_ready_is_503_when_sqlite_cannot_be_opened(tmp_path: Path) -> None:
    # A directory where the database file should be: every connection attempt fails.
    url = f"sqlite+aiosqlite:///{tmp_path}"
    app = create_app(SequenceSettings(database_url=url, auto_migrate=False))
    async with _client(app) as client, LifespanManager(app):
        assert (await client.get("/health/live")).status_code == 200
        ready = await client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.headers["content-type"] == "application/problem+json"
        assert ready.json()["checks"]["database"] != "ok"
        write = await client.post(
            "/api/v1/sequence", json={"elementType": "script", "elementId": 1}
        )
        assert write.status_code == 503
        assert write.json()["title"] == "Database unavailable"
        assert write.headers["retry-after"] == "5"


async def test_ready_turns_503_when_postgres_database_is_dropped() -> None:
    name = f"fountain_gone_{uuid.uuid4().hex[:8]}"
    admin_dsn = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(False)
    try:
        admin = await asyncpg.connect(admin_dsn, timeout=5)
    except OSError as exc:
        unavailable(f"PostgreSQL unreachable: {exc}")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(POSTGRES_URL).set(database=name).render_as_string(False)
        app = create_app(SequenceSettings(database_url=url))
        async with _client(app) as client, LifespanManager(app):
            assert (await client.get("/health/ready")).status_code == 200
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            ready = await client.get("/health/ready")
            assert ready.status_code == 503
            assert ready.json()["title"] == "Not ready"
            assert (await client.get("/health/live")).status_code == 200
            write = await client.post(
                "/api/v1/sequence", json={"elementType": "script", "elementId": 1}
            )
            assert write.status_code == 503
            assert "Traceback" not in write.text
            read = await client.get("/api/v1/sequence", params={"scriptId": 1})
            assert read.status_code == 503
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_ready_is_503_fast_when_postgres_is_unreachable() -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:1/nothing"
    app = create_app(SequenceSettings(database_url=url, auto_migrate=False))
    async with _client(app) as client, LifespanManager(app):
        ready = await asyncio.wait_for(client.get("/health/ready"), timeout=10)
        assert ready.status_code == 503
