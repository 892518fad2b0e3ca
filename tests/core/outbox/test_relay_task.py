"""The relay as a running task: stop/start, surviving a failing database, racing relays."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import MetaData, Table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from fountainai.core.db import NAMING_CONVENTION, Transactions, create_engine
from fountainai.core.outbox import OutboxEvent, OutboxRelay, OutboxSink, OutboxWriter, outbox_table
from tests.core.outbox.conftest import OUTBOX, RecordingSink, eventually, record


def fast_relay(
    sessionmaker: async_sessionmaker[AsyncSession],
    sink: OutboxSink,
    *,
    table: Table = OUTBOX,
    batch_size: int = 100,
) -> OutboxRelay:
    """Polls every 10 ms and backs off at most 50 ms, so real-time tests stay quick."""
    return OutboxRelay(
        sessionmaker,
        table,
        sink,
        batch_size=batch_size,
        poll_seconds=0.01,
        max_backoff_seconds=0.05,
    )


async def test_stopped_relay_delivers_nothing_and_resumes_on_start(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    sink = RecordingSink()
    relay = fast_relay(sessionmaker, sink)
    relay.start()
    relay.start()  # already running: no second loop
    await record(sessionmaker, 1, {"text": "v1"})
    await eventually(lambda: _delivered(sink, 1))

    await relay.stop()
    await relay.stop()  # stopping twice is harmless
    assert not relay.running
    await record(sessionmaker, 2, {"text": "v1"})
    await asyncio.sleep(0.05)
    assert await relay.pending_count() == 1

    relay.start()
    try:
        await eventually(lambda: _delivered(sink, 2))
    finally:
        await relay.stop()
    assert sink.delivered_ids() == [1, 2]


async def test_relay_keeps_going_through_sink_failures(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    sink = RecordingSink(failures=2)
    relay = fast_relay(sessionmaker, sink)
    await record(sessionmaker, 1, {"text": "v1"})
    # Real time here; FAST caps the retry backoff at 50 ms.
    relay.start()
    try:
        await eventually(lambda: _delivered(sink, 1), seconds=10)
    finally:
        await relay.stop()
    assert sink.batches == 3


async def test_relay_survives_database_errors_and_delivers_once_they_stop(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    late_table = outbox_table(MetaData(naming_convention=NAMING_CONVENTION), "latetest")
    sink = RecordingSink()
    relay = fast_relay(sessionmaker, sink, table=late_table)
    relay.start()
    try:
        await asyncio.sleep(0.1)  # every pass fails: the table does not exist yet
        assert relay.running
        async with engine.begin() as conn:
            await conn.run_sync(late_table.create)
        await record(sessionmaker, 1, {"text": "v1"}, table=late_table)
        await eventually(lambda: _delivered(sink, 1))
    finally:
        await relay.stop()
        async with engine.begin() as conn:
            await conn.run_sync(late_table.drop)


async def test_racing_relays_deliver_every_row_once_and_each_document_in_order(
    database_url: str, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Two relays (two engines, as two replicas would have) drain rows written meanwhile."""
    other_engine = create_engine(database_url)
    sink = RecordingSink(delay=0.002)
    counted = [CountingSink(sink), CountingSink(sink)]
    relays = [
        fast_relay(async_sessionmaker(each), counting, batch_size=7)
        for each, counting in zip((engine, other_engine), counted, strict=True)
    ]
    newest: dict[str, int] = {}
    written = 0
    rng = random.Random(5)
    for relay in relays:
        relay.start()
    try:
        for _ in range(60):
            async with Transactions(sessionmaker, None)() as session:
                writer = OutboxWriter(session, OUTBOX)
                for _ in range(rng.randint(1, 5)):
                    written += 1
                    element_id = rng.randrange(12)
                    newest[f"line:{element_id}"] = written
                    document = {"n": written}
                    await writer.add("line", element_id, operation="upsert", document=document)
            await asyncio.sleep(0)
        await eventually(lambda: _delivered(sink, written), seconds=20)
    finally:
        for relay in relays:
            await relay.stop()
        await other_engine.dispose()

    deliveries = Counter(sink.delivered_ids())
    assert sorted(deliveries) == list(range(1, written + 1))
    assert set(deliveries.values()) == {1}
    assert all(counting.rows > 0 for counting in counted)  # both relays took part
    assert sink.overlaps == []  # no document was ever in flight on both relays at once
    last_payload = {event.document_id: event.payload for event in sink.events}
    assert last_payload == {document: {"n": n} for document, n in newest.items()}


class CountingSink:
    """One relay's view of a shared sink: counts the rows that relay delivered."""

    def __init__(self, sink: RecordingSink) -> None:
        self.sink = sink
        self.rows = 0

    async def deliver(self, events: Sequence[OutboxEvent]) -> None:
        await self.sink.deliver(events)
        self.rows += sum(len(event.outbox_ids) for event in events)


async def _delivered(sink: RecordingSink, rows: int) -> bool:
    return len(sink.delivered_ids()) >= rows
