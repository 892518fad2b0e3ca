"""Every statement the relay runs against an outbox table; each takes the caller's session."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.outbox.events import OutboxRow
from fountainai.core.outbox.table import ERROR_LENGTH, OutboxOperation


async def claim_due(
    session: AsyncSession, table: Table, *, now: datetime, limit: int, lease: timedelta
) -> list[OutboxRow]:
    """Claim up to ``limit`` due rows, oldest first, and lease them until ``now + lease``.

    A document with any undelivered row that is not due (leased to a relay, or backing off
    after a failure) is skipped whole, so a document is never in flight twice and an older
    change can never overtake a newer one. A leased row whose relay died is due again once the
    lease ends (delivery is at least once; sinks are idempotent).
    """
    if session.get_bind().dialect.name == "postgresql":
        # Serialise claims across relays, so the per-document check above sees every lease.
        # Claims are short; the slow part (delivery) still runs in parallel.
        key = zlib.crc32(f"outbox:{table.name}".encode())
        await session.execute(select(func.pg_advisory_xact_lock(key)))
    pending = table.alias("pending")
    busy = (
        select(pending.c.id)
        .where(
            pending.c.document_id == table.c.document_id,
            pending.c.delivered_at.is_(None),
            pending.c.next_attempt_at > now,
        )
        .exists()
    )
    query = (
        select(
            table.c.id, table.c.document_id, table.c.operation, table.c.payload, table.c.attempts
        )
        .where(table.c.delivered_at.is_(None), table.c.next_attempt_at <= now, ~busy)
        .order_by(table.c.id)
        .limit(limit)
        # SQLite has no row locks: its writers are serialised (BEGIN IMMEDIATE) instead.
        .with_for_update(skip_locked=True, of=table)
    )
    rows = [
        OutboxRow(
            id=row.id,
            document_id=row.document_id,
            operation=cast(OutboxOperation, row.operation),
            payload=row.payload,
            attempts=row.attempts + 1,
        )
        for row in await session.execute(query)
    ]
    if rows:
        await session.execute(
            update(table)
            .where(table.c.id.in_([row.id for row in rows]))
            .values(attempts=table.c.attempts + 1, next_attempt_at=now + lease)
        )
    return rows


async def mark_delivered(
    session: AsyncSession, table: Table, ids: Sequence[int], *, now: datetime
) -> None:
    await session.execute(update(table).where(table.c.id.in_(ids)).values(delivered_at=now))


async def reschedule(
    session: AsyncSession, table: Table, ids: Sequence[int], *, due: datetime, error: str
) -> None:
    """Put rows back for another attempt at ``due``, recording why this one failed."""
    await session.execute(
        update(table)
        .where(table.c.id.in_(ids))
        .values(next_attempt_at=due, last_error=error[:ERROR_LENGTH])
    )


async def prune_delivered(session: AsyncSession, table: Table, *, before: datetime) -> int:
    """Delete rows delivered before ``before``; undelivered rows are never pruned."""
    result = await session.execute(
        delete(table).where(table.c.delivered_at.is_not(None), table.c.delivered_at < before)
    )
    return cast(int, getattr(result, "rowcount", 0))


async def count_pending(session: AsyncSession, table: Table) -> int:
    query = select(func.count()).select_from(table).where(table.c.delivered_at.is_(None))
    return (await session.execute(query)).scalar_one()
