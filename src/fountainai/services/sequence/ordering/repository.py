"""Every query of the ordering domain. Callers hold the script lock before changing an order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Column, Table, and_, bindparam, delete, func, select, tuple_, update

from fountainai.core.db import Repository, utcnow
from fountainai.core.db.upsert import dialect_insert
from fountainai.services.sequence.models import ScriptOrder, SequencedElement

_elements = cast("Table", SequencedElement.__table__)
_scripts = cast("Table", ScriptOrder.__table__)


@dataclass(frozen=True, slots=True)
class Placed:
    row_id: int
    script_id: int
    element_type: str
    element_id: int
    sequence_number: int


class OrderingRepository(Repository):
    async def lock_and_grow(self, script_id: int, grow_by: int) -> int:
        """Lock the script's order row (creating it) and add ``grow_by``; returns the new length.

        PostgreSQL holds the row lock to the end of the transaction, so every change to one
        script's order is serialised; SQLite's BEGIN IMMEDIATE already serialises writers.
        """
        now = utcnow()
        insert = dialect_insert(self.dialect, _scripts).values(
            script_id=script_id, length=grow_by, updated_at=now
        )
        upsert = insert.on_conflict_do_update(
            index_elements=[_scripts.c.script_id],
            set_={"length": _scripts.c.length + grow_by, "updated_at": now},
        ).returning(_scripts.c.length)
        length: int = (await self.session.execute(upsert)).scalar_one()
        return length

    async def find(self, element_type: str, element_id: int) -> Placed | None:
        row = (
            await self.session.execute(
                select(*self._columns()).where(
                    _elements.c.element_type == element_type, _elements.c.element_id == element_id
                )
            )
        ).first()
        return Placed(*row) if row else None

    async def find_many(self, refs: Sequence[tuple[str, int]]) -> dict[tuple[str, int], Placed]:
        found: dict[tuple[str, int], Placed] = {}
        chunk = 500
        for start in range(0, len(refs), chunk):
            part = refs[start : start + chunk]
            key = tuple_(_elements.c.element_type, _elements.c.element_id)
            rows = await self.session.execute(select(*self._columns()).where(key.in_(part)))
            for row in rows:
                placed = Placed(*row)
                found[(placed.element_type, placed.element_id)] = placed
        return found

    async def list_script(
        self, script_id: int, *, start: int = 1, end: int | None = None, limit: int | None = None
    ) -> list[Placed]:
        query = select(*self._columns()).where(
            _elements.c.script_id == script_id, _elements.c.sequence_number >= start
        )
        if end is not None:
            query = query.where(_elements.c.sequence_number <= end)
        query = query.order_by(_elements.c.sequence_number).limit(limit)
        return [Placed(*row) for row in await self.session.execute(query)]

    async def count(self, script_id: int, *, start: int = 1, end: int | None = None) -> int:
        query = select(func.count()).where(
            _elements.c.script_id == script_id, _elements.c.sequence_number >= start
        )
        if end is not None:
            query = query.where(_elements.c.sequence_number <= end)
        total: int = (await self.session.execute(query)).scalar_one()
        return total

    async def insert(self, script_id: int, placed: Sequence[tuple[str, int, int]]) -> None:
        now = utcnow()
        await self.session.execute(
            _elements.insert(),
            [
                {
                    "script_id": script_id,
                    "element_type": element_type,
                    "element_id": element_id,
                    "sequence_number": number,
                    "created_at": now,
                    "updated_at": now,
                }
                for element_type, element_id, number in placed
            ],
        )

    async def shift(self, script_id: int, *, at_or_after: int, by: int) -> None:
        """Move every number >= ``at_or_after`` by ``by`` without breaking the unique key midway.

        Both backends check uniqueness row by row, so numbers pass through negatives first.
        """
        in_range = and_(
            _elements.c.script_id == script_id, _elements.c.sequence_number >= at_or_after
        )
        await self.session.execute(
            update(_elements)
            .where(in_range)
            .values(sequence_number=-(_elements.c.sequence_number + by), updated_at=utcnow())
        )
        await self._flip_negatives(script_id)

    async def renumber(self, script_id: int, moves: Sequence[tuple[int, int]]) -> None:
        """Give each (row id, new number) its number, atomically for the whole set."""
        if not moves:
            return
        statement = (
            update(_elements)
            .where(_elements.c.id == bindparam("row_id"))
            .values(sequence_number=bindparam("negated"), updated_at=utcnow())
        )
        await self.session.execute(
            statement, [{"row_id": row_id, "negated": -number} for row_id, number in moves]
        )
        await self._flip_negatives(script_id)

    async def remove(self, row_id: int) -> None:
        await self.session.execute(delete(_elements).where(_elements.c.id == row_id))

    async def remove_many(self, row_ids: Sequence[int]) -> None:
        chunk = 500
        for start in range(0, len(row_ids), chunk):
            part = row_ids[start : start + chunk]
            await self.session.execute(delete(_elements).where(_elements.c.id.in_(part)))

    async def close_gaps(self, script_id: int, *, from_number: int) -> None:
        """Renumber the order from ``from_number`` on to be dense again (after removals)."""
        rest = await self.list_script(script_id, start=from_number)
        await self.renumber(
            script_id,
            [
                (placed.row_id, number)
                for number, placed in enumerate(rest, start=from_number)
                if placed.sequence_number != number
            ],
        )

    async def _flip_negatives(self, script_id: int) -> None:
        await self.session.execute(
            update(_elements)
            .where(_elements.c.script_id == script_id, _elements.c.sequence_number < 0)
            .values(sequence_number=-_elements.c.sequence_number)
        )

    @staticmethod
    def _columns() -> tuple[Column[Any], ...]:
        c = _elements.c
        return (c.id, c.script_id, c.element_type, c.element_id, c.sequence_number)
