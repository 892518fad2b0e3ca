"""What the relay hands a sink: one event per document, the newest of its pending changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from fountainai.core.outbox.table import OutboxOperation


@dataclass(frozen=True)
class OutboxEvent:
    """A document's newest change; ``outbox_ids`` are every row it stands for, oldest first."""

    document_id: str
    operation: OutboxOperation
    payload: Mapping[str, Any] | None
    outbox_ids: tuple[int, ...]

    @property
    def version(self) -> int:
        """Grows with every change of the document: a sink may ignore an older version."""
        return self.outbox_ids[-1]


class OutboxSink(Protocol):
    """Where events go (the search service). Upserts and deletes by ``document_id`` must be
    idempotent: a row may be delivered again after a crash. Raise if any event failed."""

    async def deliver(self, events: Sequence[OutboxEvent]) -> None: ...


@dataclass(frozen=True)
class OutboxRow:
    id: int
    document_id: str
    operation: OutboxOperation
    payload: Mapping[str, Any] | None
    attempts: int


def collapse(rows: Iterable[OutboxRow]) -> list[OutboxEvent]:
    """One event per document carrying its newest row, ordered by that row's id."""
    by_document: dict[str, list[OutboxRow]] = {}
    for row in sorted(rows, key=lambda row: row.id):
        by_document.setdefault(row.document_id, []).append(row)
    events = [
        OutboxEvent(
            document_id=document_id,
            operation=group[-1].operation,
            payload=group[-1].payload,
            outbox_ids=tuple(row.id for row in group),
        )
        for document_id, group in by_document.items()
    ]
    return sorted(events, key=lambda event: event.version)
