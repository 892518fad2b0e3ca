"""An outbox table on its own metadata, both backends, a movable clock and recording sinks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, Row, Table, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from fountainai.core.db import NAMING_CONVENTION, Transactions, create_engine, utcnow
from fountainai.core.outbox import OutboxEvent, OutboxOperation, OutboxWriter, outbox_table

metadata = MetaData(naming_convention=NAMING_CONVENTION)
OUTBOX = outbox_table(metadata, "relaytest")


class FakeClock:
    """Real time plus an offset the test moves forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


class DownError(ConnectionError):
    pass


class RecordingSink:
    """Records every event it accepts; refuses the next ``failures`` batches."""

    def __init__(self, *, failures: int = 0, delay: float = 0.0) -> None:
        self.events: list[OutboxEvent] = []
        self.batches = 0
        self.failures = failures
        self.delay = delay
        self.in_flight: set[str] = set()
        self.overlaps: list[str] = []

    async def deliver(self, events: Sequence[OutboxEvent]) -> None:
        self.batches += 1
        if self.failures > 0:
            self.failures -= 1
            raise DownError("search is down")
        documents = {event.document_id for event in events}
        self.overlaps.extend(sorted(documents & self.in_flight))
        self.in_flight |= documents
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= documents
        self.events.extend(events)

    def delivered_ids(self) -> list[int]:
        return [outbox_id for event in self.events for outbox_id in event.outbox_ids]


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def record(
    sessionmaker: async_sessionmaker[AsyncSession],
    element_id: int | str,
    document: Mapping[str, Any] | None,
    *,
    operation: OutboxOperation = "upsert",
    table: Table = OUTBOX,
) -> None:
    """Commit one change's outbox row, the way a request would."""
    async with Transactions(sessionmaker, None)() as session:
        await OutboxWriter(session, table).add(
            "spokenWord", element_id, operation=operation, document=document
        )


async def outbox_rows(engine: AsyncEngine) -> list[Row[Any]]:
    async with engine.connect() as conn:
        return list(await conn.execute(select(OUTBOX).order_by(OUTBOX.c.id)))


async def eventually(condition: Callable[[], Awaitable[bool]], *, seconds: float = 10.0) -> None:
    """Poll an async ``condition`` until it holds; fail after ``seconds``."""
    async with asyncio.timeout(seconds):
        while not await condition():  # noqa: ASYNC110 (a database state: no event to await)
            await asyncio.sleep(0.01)
