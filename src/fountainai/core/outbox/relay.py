"""The relay: an asyncio task that delivers due outbox rows to a sink, with retries."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fountainai.core.db import Transactions, utcnow
from fountainai.core.logging import get_logger
from fountainai.core.outbox import queries
from fountainai.core.outbox.events import OutboxRow, OutboxSink, collapse
from fountainai.core.outbox.metrics import OutboxMetrics

RETENTION = timedelta(days=1)
PRUNE_INTERVAL = timedelta(minutes=10)

Clock = Callable[[], datetime]
log = get_logger("fountainai.outbox")


def retry_delay(attempts: int, *, cap_seconds: float, base_seconds: float = 1.0) -> float:
    """Exponential backoff with jitter: ``base * 2**(attempts-1)``, capped, then 50-100% of it."""
    exponential = base_seconds * 2.0 ** min(max(attempts - 1, 0), 62)
    return min(cap_seconds, exponential) * random.uniform(0.5, 1.0)  # noqa: S311 (not crypto)


class OutboxRelay:
    """Delivers an outbox table's rows to ``sink``: claim a batch, deliver it, record the outcome.

    Each step is its own short transaction (holding ``lock``, the app's SQLite write lock, if
    given); delivery runs outside any transaction. A failed delivery is retried with backoff;
    a database error pauses the loop with backoff; neither stops it. ``clock`` is injectable so
    tests can move time instead of sleeping.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        table: Table,
        sink: OutboxSink,
        *,
        batch_size: int = 100,
        poll_seconds: float = 1.0,
        max_backoff_seconds: float = 300.0,
        lease_seconds: float = 60.0,
        retention: timedelta = RETENTION,
        lock: asyncio.Lock | None = None,
        clock: Clock = utcnow,
        metrics: OutboxMetrics | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.table = table
        self.sink = sink
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.lease = timedelta(seconds=lease_seconds)
        self.retention = retention
        self._sessionmaker = sessionmaker
        self._transaction = Transactions(sessionmaker, lock)
        self._clock = clock
        self._metrics = metrics
        self._log = log.bind(table=table.name)
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the delivery loop (again, after ``stop``); no-op while it runs."""
        if self.running:
            return
        self._stopping = asyncio.Event()
        self._task = asyncio.create_task(self._run(self._stopping), name=f"relay:{self.table}")

    async def stop(self, *, grace_seconds: float = 10.0) -> None:
        """Let the current batch finish (up to ``grace_seconds``, then cancel it) and stop the loop.

        A batch cancelled mid-delivery stays leased and is delivered again after the lease.
        """
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        done, _ = await asyncio.wait({task}, timeout=grace_seconds)
        if not done:
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def run_once(self) -> int:
        """Claim, deliver and record one batch; returns how many rows were delivered."""
        now = self._clock()
        async with self._transaction() as session:
            rows = await queries.claim_due(
                session, self.table, now=now, limit=self.batch_size, lease=self.lease
            )
        if not rows:
            return 0
        ids = [row.id for row in rows]
        try:
            await self.sink.deliver(collapse(rows))
        except Exception as exc:  # any sink failure: record it and retry later
            await self._record_failure(_ids_by_attempts(rows), exc)
            return 0
        async with self._transaction() as session:
            await queries.mark_delivered(session, self.table, ids, now=self._clock())
        if self._metrics is not None:
            self._metrics.delivered.inc(len(ids))
        return len(ids)

    async def prune(self) -> int:
        """Delete rows delivered longer than ``retention`` ago; returns how many."""
        async with self._transaction() as session:
            return await queries.prune_delivered(
                session, self.table, before=self._clock() - self.retention
            )

    async def pending_count(self) -> int:
        """Rows not yet delivered (read without a transaction, so it never waits for writers)."""
        async with self._sessionmaker() as session:
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return await queries.count_pending(session, self.table)

    async def _record_failure(self, groups: dict[int, list[int]], exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        rows = sum(len(ids) for ids in groups.values())
        self._log.warning("outbox_delivery_failed", error=error, rows=rows)
        if self._metrics is not None:
            self._metrics.failures.inc()
        now = self._clock()
        async with self._transaction() as session:
            for attempts, ids in groups.items():
                delay = retry_delay(attempts, cap_seconds=self.max_backoff_seconds)
                due = now + timedelta(seconds=delay)
                await queries.reschedule(session, self.table, ids, due=due, error=error)

    async def _run(self, stopping: asyncio.Event) -> None:
        failures = 0
        next_prune = self._clock()
        while not stopping.is_set():
            try:
                if self._clock() >= next_prune:
                    await self.prune()
                    next_prune = self._clock() + PRUNE_INTERVAL
                delivered = await self.run_once()
                if self._metrics is not None and delivered < self.batch_size:
                    self._metrics.pending.set(await self.pending_count())
            except Exception as exc:  # the database is down or failing: pause, then retry
                failures += 1
                self._log.warning("outbox_relay_error", error=f"{type(exc).__name__}: {exc}")
                delay = self.poll_seconds * 2.0 ** min(failures, 30)
                await _sleep(stopping, min(delay, self.max_backoff_seconds))
                continue
            failures = 0
            if delivered < self.batch_size:  # a full batch means more may be due right now
                await _sleep(stopping, self.poll_seconds)


def _ids_by_attempts(rows: list[OutboxRow]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for row in rows:
        groups.setdefault(row.attempts, []).append(row.id)
    return groups


async def _sleep(stopping: asyncio.Event, seconds: float) -> None:
    """Sleep, waking early when the relay is asked to stop."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)
