"""Writing outbox rows inside the caller's transaction: the change and its row commit together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.db import utcnow
from fountainai.core.outbox.table import DOCUMENT_ID_LENGTH, OPERATIONS, OutboxOperation

ElementId = str | int


def document_id(element_type: str, element_id: ElementId) -> str:
    """The type-qualified search document id, e.g. ``spokenWord:123``."""
    if not element_type or ":" in element_type:
        raise ValueError(f"element type must be non-empty and free of ':': {element_type!r}")
    qualified = f"{element_type}:{element_id}"
    if len(qualified) > DOCUMENT_ID_LENGTH:
        raise ValueError(f"document id longer than {DOCUMENT_ID_LENGTH} characters")
    return qualified


class OutboxWriter:
    """Adds outbox rows to ``session``'s transaction; sends them (a flush), never commits.

    Call it after the change itself, so a document's rows are numbered in the order its
    changes commit (the change's row lock orders them).
    """

    def __init__(self, session: AsyncSession, table: Table) -> None:
        self.session = session
        self.table = table

    async def add(
        self,
        element_type: str,
        element_id: ElementId,
        *,
        operation: OutboxOperation,
        document: Mapping[str, Any] | None = None,
    ) -> None:
        """Record one change: ``upsert`` with the full search ``document``, or ``delete``."""
        await self.add_many(element_type, {element_id: document}, operation=operation)

    async def add_many(
        self,
        element_type: str,
        documents: Mapping[ElementId, Mapping[str, Any] | None],
        *,
        operation: OutboxOperation,
    ) -> None:
        """Record one operation on many elements of a type (batch endpoints): one statement."""
        if not documents:
            return
        now = utcnow()
        rows = [
            {
                "document_id": document_id(element_type, element_id),
                "operation": operation,
                "payload": _payload(operation, document),
                "created_at": now,
                "attempts": 0,
                "next_attempt_at": now,
            }
            for element_id, document in documents.items()
        ]
        await self.session.execute(insert(self.table), rows)


def _payload(
    operation: OutboxOperation, document: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    if operation not in OPERATIONS:
        raise ValueError(f"operation must be one of {OPERATIONS}, not {operation!r}")
    if operation == "delete":
        if document is not None:
            raise ValueError("a delete carries no document")
        return None
    if document is None:
        raise ValueError("an upsert needs the document")
    return dict(document)
