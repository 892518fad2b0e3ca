"""Inserting a batch of rows with a fixed number of statements, however many rows there are.

A batch endpoint reserves its rows' ids first (``reserve_ids``: one statement), so rows can
name each other (a line joins the speech an earlier line of the batch starts) before anything
is written, then inserts them all with one flush (``insert_all``): rows whose ids are set go
out as one executemany, where SQLite would otherwise insert row by row to read each new id back.

- PostgreSQL: ``nextval`` of the table's id sequence, ``count`` times in one query. Sequences
  never hand a value out twice, so concurrent batches get disjoint ids.
- SQLite: one past the highest id the table has ever had (``sqlite_sequence`` for an
  AUTOINCREMENT table, else its current maximum). Every transaction here starts with
  ``BEGIN IMMEDIATE`` (``core.db.engine``), so the writer holds the database's write lock from
  the reservation to its commit and no other writer can take the same ids. Inserting explicit
  ids moves ``sqlite_sequence`` on, so ids are never reused after a delete either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import Conflict

_POSTGRES_IDS = text(
    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"
)


async def reserve_ids(session: AsyncSession, model: type[object], count: int) -> list[int]:
    """``count`` new ids for rows of the mapped class ``model``'s table (its primary key is
    ``id``), ascending; none if ``count`` is 0."""
    if count <= 0:
        return []
    table = cast(Table, inspect(model).local_table).name
    if session.get_bind().dialect.name == "postgresql":
        result = await session.execute(_POSTGRES_IDS, {"table": table, "count": count})
        return sorted(result.scalars().all())
    highest = await _sqlite_highest_id(session, table)
    return list(range(highest + 1, highest + 1 + count))


async def _sqlite_highest_id(session: AsyncSession, table: str) -> int:
    quoted = '"' + table.replace('"', '""') + '"'
    current = (await session.execute(text(f"SELECT max(id) FROM {quoted}"))).scalar()  # noqa: S608
    autoincrement = (
        await session.execute(
            text(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'table' AND name = 'sqlite_sequence'"
            )
        )
    ).scalar_one()
    ever = None
    if autoincrement:
        ever = (
            await session.execute(
                text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table}
            )
        ).scalar()
    return max(int(current or 0), int(ever or 0))


async def insert_all(session: AsyncSession, rows: Sequence[object], *, noun: str) -> None:
    """Insert checked rows (ids set by ``reserve_ids``) with one flush; a unique value a
    concurrent write took meanwhile is a ``Conflict``.

    Rows of one table go in the order given. The flush does not order tables by their foreign
    keys (only by relationships, which these models do not declare): insert the rows that
    others point at with an earlier call.
    """
    session.add_all(rows)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"a {noun} of the batch clashes with one written meanwhile") from None
