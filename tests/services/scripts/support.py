"""Small typed helpers for the scripts API (serving apps in-process: ``tests.support.platform``)."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import Table, func, select

from fountainai.services.scripts.models import Markup, Script, Section, Transition, outbox

API = "/api/v1"


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
