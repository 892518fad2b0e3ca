"""One relay pass at a time, with a movable clock: delivery, retries, collapsing, leases."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from fountainai.core.outbox import OutboxEvent, OutboxRelay, retry_delay
from tests.core.outbox.conftest import OUTBOX, FakeClock, RecordingSink, outbox_rows, record

MAX_BACKOFF = 300.0


class RelayCrashed(BaseException):
    """The process dying mid-delivery."""


class CrashingSink(RecordingSink):
    async def deliver(self, events: object) -> None:
        raise RelayCrashed


def make_relay(
    sessionmaker: async_sessionmaker[AsyncSession], sink: RecordingSink, clock: FakeClock
) -> OutboxRelay:
    return OutboxRelay(
        sessionmaker, OUTBOX, sink, clock=clock, max_backoff_seconds=MAX_BACKOFF, batch_size=10
    )


async def test_committed_row_is_delivered_once(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    sink = RecordingSink()
    relay = make_relay(sessionmaker, sink, clock)
    await record(sessionmaker, 123, {"text": "Hello"})
    assert await relay.pending_count() == 1

    assert await relay.run_once() == 1
    assert await relay.run_once() == 0

    [event] = sink.events
    assert event == OutboxEvent("spokenWord:123", "upsert", {"text": "Hello"}, (1,))
    [row] = await outbox_rows(engine)
    assert row.delivered_at is not None
    assert row.attempts == 1
    assert await relay.pending_count() == 0


async def test_failed_delivery_is_retried_after_backoff_with_attempts_counted(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    sink = RecordingSink(failures=1)
    relay = make_relay(sessionmaker, sink, clock)
    await record(sessionmaker, 7, {"text": "v1"})

    assert await relay.run_once() == 0
    [row] = await outbox_rows(engine)
    assert (row.attempts, row.delivered_at) == (1, None)
    assert row.last_error == "DownError: search is down"
    assert row.next_attempt_at > clock()
    assert await relay.run_once() == 0  # not due yet: nothing claimed, sink not called
    assert sink.batches == 1

    clock.advance(1.0)  # the first retry waits 0.5-1 s
    assert await relay.run_once() == 1
    [row] = await outbox_rows(engine)
    assert row.attempts == 2
    assert row.delivered_at is not None
    assert [event.payload for event in sink.events] == [{"text": "v1"}]


async def test_backoff_doubles_per_attempt_up_to_the_cap(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    sink = RecordingSink(failures=12)
    relay = make_relay(sessionmaker, sink, clock)
    await record(sessionmaker, 7, {"text": "v1"})

    for attempt in range(1, 13):
        before = clock()
        assert await relay.run_once() == 0
        [row] = await outbox_rows(engine)
        wait = (row.next_attempt_at - before).total_seconds()
        ceiling = min(MAX_BACKOFF, 2.0 ** (attempt - 1))
        assert row.attempts == attempt
        assert ceiling / 2 - 0.01 <= wait <= ceiling + 0.01
        clock.advance(ceiling)
    assert sink.batches == 12


def test_retry_delay_has_jitter_within_half_to_full() -> None:
    delays = {retry_delay(4, cap_seconds=300) for _ in range(50)}
    assert all(4.0 <= delay <= 8.0 for delay in delays)
    assert len(delays) > 1
    assert retry_delay(100, cap_seconds=300) <= 300


async def test_several_changes_of_one_document_collapse_to_the_newest(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    sink = RecordingSink()
    relay = make_relay(sessionmaker, sink, clock)
    for version in (1, 2, 3):
        await record(sessionmaker, 5, {"text": f"v{version}"})
    await record(sessionmaker, 6, {"text": "other"})
    await record(sessionmaker, 6, None, operation="delete")

    assert await relay.run_once() == 5

    assert sink.events == [
        OutboxEvent("spokenWord:5", "upsert", {"text": "v3"}, (1, 2, 3)),
        OutboxEvent("spokenWord:6", "delete", None, (4, 5)),
    ]
    assert sink.events[0].version == 3
    assert all(row.delivered_at is not None for row in await outbox_rows(engine))


async def test_newer_change_waits_for_an_older_one_backing_off_then_both_collapse(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    sink = RecordingSink(failures=1)
    relay = make_relay(sessionmaker, sink, clock)
    await record(sessionmaker, 5, {"text": "old"})
    assert await relay.run_once() == 0  # fails: the row backs off
    await record(sessionmaker, 5, {"text": "new"})
    await record(sessionmaker, 9, {"text": "unrelated"})

    assert await relay.run_once() == 1  # only the unrelated document goes
    assert [event.document_id for event in sink.events] == ["spokenWord:9"]

    clock.advance(1.0)
    assert await relay.run_once() == 2
    assert sink.events[-1] == OutboxEvent("spokenWord:5", "upsert", {"text": "new"}, (1, 2))


async def test_batch_size_cuts_oldest_first_and_the_rest_follows(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    sink = RecordingSink()
    relay = make_relay(sessionmaker, sink, clock)
    for element_id in range(25):
        await record(sessionmaker, element_id, {"n": element_id})

    assert [await relay.run_once() for _ in range(4)] == [10, 10, 5, 0]
    assert sink.delivered_ids() == list(range(1, 26))


async def test_crash_mid_delivery_is_delivered_again_after_the_lease(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    await record(sessionmaker, 1, {"text": "v1"})
    with pytest.raises(RelayCrashed):
        await make_relay(sessionmaker, CrashingSink(), clock).run_once()

    sink = RecordingSink()
    relay = make_relay(sessionmaker, sink, clock)
    assert await relay.run_once() == 0  # still leased to the crashed relay
    clock.advance(relay.lease.total_seconds())
    assert await relay.run_once() == 1
    [row] = await outbox_rows(engine)
    assert row.attempts == 2
    assert len(sink.events) == 1


async def test_prune_removes_only_rows_delivered_before_the_retention(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    relay = make_relay(sessionmaker, RecordingSink(), clock)
    await record(sessionmaker, 1, {"text": "old"})
    assert await relay.run_once() == 1
    clock.advance((relay.retention + timedelta(minutes=1)).total_seconds())
    await record(sessionmaker, 2, {"text": "recent"})
    assert await relay.run_once() == 1
    await record(sessionmaker, 3, {"text": "never delivered"})
    relay.sink = RecordingSink(failures=1)
    assert await relay.run_once() == 0

    assert await relay.prune() == 1
    remaining = [row.document_id for row in await outbox_rows(engine)]
    assert remaining == ["spokenWord:2", "spokenWord:3"]
    clock.advance(timedelta(days=30).total_seconds())
    assert await relay.prune() == 1
    assert [row.document_id for row in await outbox_rows(engine)] == ["spokenWord:3"]


async def test_relay_takes_the_app_write_lock_for_its_transactions(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    lock = asyncio.Lock()
    sink = RecordingSink()
    relay = OutboxRelay(sessionmaker, OUTBOX, sink, lock=lock, clock=clock)
    await record(sessionmaker, 1, {"text": "v1"})

    async with lock:
        attempt = asyncio.create_task(relay.run_once())
        await asyncio.sleep(0.05)
        assert not attempt.done()
    assert await attempt == 1


def test_batch_size_must_be_positive(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        OutboxRelay(sessionmaker, OUTBOX, RecordingSink(), batch_size=0)
