"""``ElementWriter``: the sequencing, version and outbox steps every write of an element takes.

Creates insert and flush the row first, then ask Central Sequence for its number; the request's
session commits only after that answered, so a failure (503) rolls the row back. Updates and
deletes keep the element's current state as a version in Central Sequence before changing it.
Every change adds an outbox row for search in the same transaction (the service's own table).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import NotFound
from fountainai.core.clients import (
    ElementRef,
    ForwardedCredentials,
    SequenceClient,
    SequenceDep,
    Version,
)
from fountainai.core.db import SessionDep
from fountainai.core.elements import ElementType
from fountainai.core.outbox import OutboxWriter

Key = tuple[ElementType, int]


@dataclass(frozen=True)
class Change:
    """One element's state before a change: kept as a version, restorable later."""

    element_type: ElementType
    element_id: int
    script_id: int
    snapshot: Mapping[str, Any]


class ElementWriter:
    def __init__(
        self,
        session: AsyncSession,
        sequence: SequenceClient,
        credentials: Mapping[str, str],
        outbox: Table,
    ) -> None:
        self.session = session
        self.sequence = sequence
        self.credentials = credentials
        self.outbox = OutboxWriter(session, outbox)

    async def number_of(self, element_type: ElementType, element_id: int) -> int | None:
        """The element's sequence number; None if Central Sequence has none for it."""
        try:
            placed = await self.sequence.get_number(
                element_type, element_id, credentials=self.credentials
            )
        except NotFound:
            return None
        return placed.sequence_number

    async def numbers_in(self, script_id: int) -> dict[Key, int]:
        """Every element's number in one script's reading order (one paged read)."""
        entries = await self.sequence.reading_order(script_id, credentials=self.credentials)
        return {(entry.element_type, entry.element_id): entry.sequence_number for entry in entries}

    async def created(
        self,
        element_type: ElementType,
        element_id: int,
        *,
        script_id: int | None,
        document: Mapping[str, Any],
        position: int | None = None,
        comment: str = "",
    ) -> int:
        """Number a flushed new element and queue its search document; returns its number."""
        placed = await self.sequence.allocate(
            element_type,
            element_id,
            script_id=script_id,
            position=position,
            comment=comment,
            credentials=self.credentials,
        )
        await self.outbox.add(element_type, element_id, operation="upsert", document=document)
        return placed.sequence_number

    async def created_many(
        self,
        script_id: int,
        elements: Sequence[tuple[ElementType, int, Mapping[str, Any]]],
        *,
        position: int | None = None,
        comment: str = "",
    ) -> list[int]:
        """Number flushed new elements in the given order with one batch call; their numbers."""
        refs = [ElementRef(element_type=kind, element_id=id_) for kind, id_, _ in elements]
        allocation = await self.sequence.allocate_batch(
            script_id, refs, position=position, comment=comment, credentials=self.credentials
        )
        by_kind: dict[ElementType, dict[int | str, Mapping[str, Any]]] = {}
        for kind, element_id, document in elements:
            by_kind.setdefault(kind, {})[element_id] = document
        for kind, documents in by_kind.items():
            await self.outbox.add_many(kind, documents, operation="upsert")
        numbers = {(e.element_type, e.element_id): e.sequence_number for e in allocation.elements}
        return [numbers[(kind, element_id)] for kind, element_id, _ in elements]

    async def snapshot(self, change: Change, *, comment: str = "") -> None:
        """Keep the element's current state as its next version, before it changes."""
        await self.sequence.create_version(
            change.element_type,
            change.element_id,
            change.snapshot,
            script_id=change.script_id,
            comment=comment,
            credentials=self.credentials,
        )

    async def version(self, element_type: ElementType, element_id: int, number: int) -> Version:
        """Version ``number`` of an element (``NotFound`` if it has none such)."""
        return await self.sequence.get_version(
            element_type, element_id, number, credentials=self.credentials
        )

    async def changed(
        self, element_type: ElementType, element_id: int, document: Mapping[str, Any]
    ) -> None:
        await self.outbox.add(element_type, element_id, operation="upsert", document=document)

    async def removed(self, element_type: ElementType, element_id: int, *, comment: str) -> None:
        """Take a deleted element out of its script's order (the gap closes) and out of search.

        ``NotFound`` means it has no number (already removed, e.g. by an earlier attempt).
        """
        with contextlib.suppress(NotFound):
            await self.sequence.remove(
                element_type, element_id, comment=comment, credentials=self.credentials
            )
        await self.outbox.add(element_type, element_id, operation="delete")

    async def removed_many(self, script_id: int, refs: Sequence[Key], *, comment: str) -> None:
        """Take deleted elements of one script out of its order with one call (every gap closes,
        all or nothing there) and out of search. Elements without a number are skipped.

        Call it after the rows are deleted and flushed: if Central Sequence fails, the request's
        rollback brings them back and no number was removed.
        """
        if not refs:
            return
        await self.sequence.remove_batch(
            script_id,
            [ElementRef(element_type=kind, element_id=element_id) for kind, element_id in refs],
            comment=comment,
            credentials=self.credentials,
        )
        # One outbox statement per run of one kind, keeping the deletes in the order given.
        for kind, run in itertools.groupby(refs, key=lambda ref: ref[0]):
            await self.outbox.add_many(
                kind, dict.fromkeys(element_id for _, element_id in run), operation="delete"
            )


def element_writer(outbox: Table) -> Callable[..., Awaitable[ElementWriter]]:
    """A FastAPI dependency: an ``ElementWriter`` on the request's session, Central Sequence
    client and forwarded credentials, writing to the service's ``outbox`` table::

        ElementWriterDep = Annotated[ElementWriter, Depends(element_writer(outbox))]
    """

    async def get_element_writer(
        session: SessionDep, sequence: SequenceDep, credentials: ForwardedCredentials
    ) -> ElementWriter:
        return ElementWriter(session, sequence, credentials, outbox)

    return get_element_writer
