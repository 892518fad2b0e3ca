"""OutboxWriter: rows join the caller's transaction, with type-qualified document ids."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from fountainai.core.db import Transactions
from fountainai.core.outbox import OutboxWriter, document_id
from tests.core.outbox.conftest import OUTBOX, outbox_rows, record


class Rollback(Exception):
    pass


async def test_committed_change_leaves_one_due_row(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await record(sessionmaker, 123, {"text": "Hello", "tags": ["a"]})

    [row] = await outbox_rows(engine)
    assert row.document_id == "spokenWord:123"
    assert (row.operation, row.payload) == ("upsert", {"text": "Hello", "tags": ["a"]})
    assert row.attempts == 0
    assert row.delivered_at is None
    assert row.last_error is None
    assert row.next_attempt_at == row.created_at


async def test_rolled_back_change_leaves_no_row(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async def change_that_fails() -> None:
        async with Transactions(sessionmaker, None)() as session:
            await OutboxWriter(session, OUTBOX).add(
                "spokenWord", 1, operation="upsert", document={"text": "gone"}
            )
            raise Rollback

    with pytest.raises(Rollback):
        await change_that_fails()

    assert await outbox_rows(engine) == []


async def test_add_many_writes_one_row_per_element(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with Transactions(sessionmaker, None)() as session:
        writer = OutboxWriter(session, OUTBOX)
        await writer.add_many("action", {1: {"n": 1}, "b-2": {"n": 2}}, operation="upsert")
        await writer.add_many("action", {}, operation="upsert")
        await writer.add("action", 3, operation="delete")

    rows = await outbox_rows(engine)
    assert [(row.document_id, row.operation, row.payload) for row in rows] == [
        ("action:1", "upsert", {"n": 1}),
        ("action:b-2", "upsert", {"n": 2}),
        ("action:3", "delete", None),
    ]


async def test_invalid_changes_are_refused(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        writer = OutboxWriter(session, OUTBOX)
        with pytest.raises(ValueError, match="needs the document"):
            await writer.add("line", 1, operation="upsert")
        with pytest.raises(ValueError, match="no document"):
            await writer.add("line", 1, operation="delete", document={"x": 1})
        with pytest.raises(ValueError, match="operation"):
            await writer.add("line", 1, operation="patch", document={})  # type: ignore[arg-type]


def test_document_ids_are_type_qualified_and_bounded() -> None:
    assert document_id("spokenWord", 123) == "spokenWord:123"
    for bad_type in ("", "a:b"):
        with pytest.raises(ValueError, match="element type"):
            document_id(bad_type, 1)
    with pytest.raises(ValueError, match="longer than 160"):
        document_id("line", "x" * 160)
