"""Serving the real Central Sequence in-process, and small typed helpers for the scripts API."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Table, func, select

from fountainai.core.http import RetryPolicy
from fountainai.services.scripts.models import Markup, Script, Section, Transition, outbox

API = "/api/v1"
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

    def __init__(self, app: FastAPI) -> None:
        self.app = app
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
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
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


async def json_of(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def create_script(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"title": "The Script", **fields}
    created: dict[str, Any] = await json_of(await client.post(f"{API}/scripts", json=body), 201)
    return created


async def create_section(
    client: httpx.AsyncClient, script_id: int, kind: str = "scene", **fields: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/scripts/{script_id}/sections", json={"kind": kind, **fields}
    )
    created: dict[str, Any] = await json_of(response, 201)
    return created


async def create_transition(
    client: httpx.AsyncClient, script_id: int, text: str = "CUT TO:", **fields: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/scripts/{script_id}/transitions", json={"text": text, **fields}
    )
    created: dict[str, Any] = await json_of(response, 201)
    return created


async def create_markup(
    client: httpx.AsyncClient, script_id: int, kind: str = "note", **fields: Any
) -> dict[str, Any]:
    body = {"kind": kind, **({} if kind == "pageBreak" else {"text": f"a {kind}"}), **fields}
    response = await client.post(f"{API}/scripts/{script_id}/markup", json=body)
    created: dict[str, Any] = await json_of(response, 201)
    return created


async def one_of_each(client: httpx.AsyncClient) -> dict[str, int]:
    """A script with an act, a transition and a page break: their ids by kind."""
    script = await create_script(client)
    section = await create_section(client, script["id"], "act")
    transition = await create_transition(client, script["id"])
    markup = await create_markup(client, script["id"], "pageBreak")
    return {
        "script": script["id"],
        "section": section["id"],
        "transition": transition["id"],
        "markup": markup["id"],
    }


async def reading_order(sequence: httpx.AsyncClient, script_id: int) -> list[tuple[str, int]]:
    """The script's order as Central Sequence keeps it, asserted dense 1..n."""
    response = await sequence.get(f"{API}/sequence", params={"scriptId": script_id, "limit": 500})
    items = (await json_of(response, 200))["items"]
    assert [item["sequenceNumber"] for item in items] == list(range(1, len(items) + 1))
    return [(item["elementType"], item["elementId"]) for item in items]


async def count(app: FastAPI, table: Table | type[Script | Section | Transition | Markup]) -> int:
    """Rows in one of the scripts service's tables."""
    selectable = table if isinstance(table, Table) else table.__table__
    async with app.state.sessionmaker() as session:
        total: int = (
            await session.execute(select(func.count()).select_from(selectable))
        ).scalar_one()
    return total


async def row_counts(app: FastAPI) -> dict[str, int]:
    return {
        "scripts": await count(app, Script),
        "sections": await count(app, Section),
        "transitions": await count(app, Transition),
        "markup": await count(app, Markup),
        "outbox": await count(app, outbox),
    }


async def outbox_rows(app: FastAPI) -> list[tuple[str, str]]:
    async with app.state.sessionmaker() as session:
        rows = await session.execute(
            select(outbox.c.document_id, outbox.c.operation).order_by(outbox.c.id)
        )
        return [(document_id, operation) for document_id, operation in rows]
