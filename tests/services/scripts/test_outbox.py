"""Every write adds an outbox row in its own transaction; a failed write leaves none."""

from __future__ import annotations

import time

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from fountainai.services.scripts.models import outbox
from tests.services.scripts.conftest import client_for
from tests.services.scripts.support import (
    API,
    create_script,
    create_section,
    create_transition,
    outbox_rows,
)
from tests.support.platform import ServedApp
from tests.support.tokens import LocalIssuer


async def test_each_write_queues_its_document(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    script = await create_script(client)
    section = await create_section(client, script["id"])
    cut = await create_transition(client, script["id"])
    await client.patch(f"{API}/sections/{section['id']}", json={"title": "new"})
    await client.delete(f"{API}/transitions/{cut['id']}")
    token = issuer.token("writer", amr=("otp",), auth_time=int(time.time()))
    async with client_for(app, {"Authorization": f"Bearer {token}"}) as stepped:
        deleted = await stepped.delete(f"{API}/scripts/{script['id']}", params={"cascade": True})
        assert deleted.status_code == 204

    s, c, t = f"script:{script['id']}", f"section:{section['id']}", f"transition:{cut['id']}"
    assert await outbox_rows(app) == [
        (s, "upsert"),
        (c, "upsert"),
        (t, "upsert"),
        (c, "upsert"),
        (t, "delete"),
        (c, "delete"),
        (s, "delete"),
    ]
    async with app.state.sessionmaker() as session:
        payload = (
            await session.execute(select(outbox.c.payload).where(outbox.c.id == 4))
        ).scalar_one()
    assert payload["elementType"] == "section"
    assert payload["title"] == "new"
    assert "sequenceNumber" not in payload


async def test_a_failed_write_rolls_its_outbox_row_back(
    app: FastAPI, client: httpx.AsyncClient, sequence_server: ServedApp
) -> None:
    script = await create_script(client)
    before = await outbox_rows(app)
    await sequence_server.stop()
    response = await client.patch(f"{API}/scripts/{script['id']}", json={"title": "x"})
    assert response.status_code == 503
    assert await outbox_rows(app) == before
