"""Small typed helpers for the characters API: a script with a scene (in the real Scripts
service), characters, actions and lines, and what the characters database holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import Table, func, select

from fountainai.services.characters.models import Action, Character, Paraphrase, SpokenWord, outbox
from tests.services.scripts.support import API, create_script, create_section, json_of

Json = dict[str, Any]


@dataclass(frozen=True)
class Stage:
    """A script of the Scripts service and a scene in it."""

    script: int
    scene: int


async def stage(scripts: httpx.AsyncClient, title: str = "The Script") -> Stage:
    script = await create_script(scripts, title=title)
    scene = await create_section(scripts, script["id"])
    return Stage(script["id"], scene["id"])


async def create_character(
    client: httpx.AsyncClient, script_id: int, name: str = "BOB", **fields: Any
) -> Json:
    body = {"scriptId": script_id, "name": name, **fields}
    created: Json = await json_of(await client.post(f"{API}/characters", json=body), 201)
    return created


async def create_action(
    client: httpx.AsyncClient, script_id: int, text: str = "Rain falls.", **fields: Any
) -> Json:
    body = {"scriptId": script_id, "text": text, **fields}
    created: Json = await json_of(await client.post(f"{API}/actions", json=body), 201)
    return created


async def create_line(
    client: httpx.AsyncClient, script_id: int, character_id: int, text: str = "Hi.", **fields: Any
) -> Json:
    body = {"scriptId": script_id, "characterId": character_id, "text": text, **fields}
    created: Json = await json_of(await client.post(f"{API}/lines", json=body), 201)
    return created


async def items(client: httpx.AsyncClient, path: str, **params: Any) -> list[Json]:
    """The items of one page of a listing (which must answer 200)."""
    page = await json_of(await client.get(f"{API}{path}", params=params), 200)
    found: list[Json] = page["items"]
    return found


async def count(
    app: FastAPI, table: Table | type[Character | Action | SpokenWord | Paraphrase]
) -> int:
    """Rows in one of the characters service's tables."""
    selectable = table if isinstance(table, Table) else table.__table__
    async with app.state.sessionmaker() as session:
        total: int = (
            await session.execute(select(func.count()).select_from(selectable))
        ).scalar_one()
    return total


async def row_counts(app: FastAPI) -> dict[str, int]:
    return {
        "characters": await count(app, Character),
        "actions": await count(app, Action),
        "lines": await count(app, SpokenWord),
        "paraphrases": await count(app, Paraphrase),
        "outbox": await count(app, outbox),
    }


async def outbox_rows(app: FastAPI) -> list[tuple[str, str]]:
    async with app.state.sessionmaker() as session:
        rows = await session.execute(
            select(outbox.c.document_id, outbox.c.operation).order_by(outbox.c.id)
        )
        return [(document_id, operation) for document_id, operation in rows]


async def outbox_payload(app: FastAPI, document_id: str) -> Json:
    """The last document queued under ``document_id``."""
    async with app.state.sessionmaker() as session:
        query = (
            select(outbox.c.payload)
            .where(outbox.c.document_id == document_id)
            .order_by(outbox.c.id.desc())
            .limit(1)
        )
        payload: Json = (await session.execute(query)).scalar_one()
    return payload


async def last_version(sequence: httpx.AsyncClient, element_type: str, element_id: int) -> int:
    """How many versions Central Sequence keeps of an element (the newest one's number)."""
    versions = await json_of(await sequence.get(f"{API}/versions/{element_type}/{element_id}"), 200)
    return int(versions["totalCount"])
