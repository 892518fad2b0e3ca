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

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

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


@dataclass(frozen=True)
class _Column:
    attribute: str  # on the mapped class
    name: str  # in the table
    default: Callable[[], Any] | None  # a Python-side default, to fill in when left unset


def _same(value: Any) -> Any:
    return value


_COLUMNS: dict[type[object], tuple[Table, tuple[_Column, ...]]] = {}


def _columns_of(model: type[object]) -> tuple[Table, tuple[_Column, ...]]:
    plan = _COLUMNS.get(model)
    if plan is None:
        mapper = inspect(model)
        columns = []
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            default = column.default
            fill: Callable[[], Any] | None = None
            if isinstance(default, ScalarElementColumnDefault):
                fill = functools.partial(_same, default.arg)
            elif isinstance(default, CallableColumnDefault):
                # SQLAlchemy wraps a default function to take the execution context; ours
                # (utcnow, list, ...) ignore it.
                fill = functools.partial(default.arg, cast(Any, None))
            columns.append(_Column(prop.key, column.key, fill))
        plan = _COLUMNS[model] = (cast(Table, mapper.local_table), tuple(columns))
    return plan


async def insert_all(session: AsyncSession, rows: Sequence[object], *, noun: str) -> None:
    """Insert new rows (their ids set by ``reserve_ids``) with one executemany per table; a
    unique value a concurrent write took meanwhile is a ``Conflict``.

    Not through the session's unit of work, which costs tens of microseconds a row (measured
    with ``bench/story_import.py``): the column defaults a row left unset are filled in on the
    row first, so it reads back complete, and the rows stay outside the session (transient:
    read them, do not expect changes to them to be flushed). Rows of one table go in the order
    given, tables in the order they first appear: put the rows others point at first.
    """
    groups: dict[type[object], list[object]] = {}
    for row in rows:
        groups.setdefault(type(row), []).append(row)
    try:
        for model, group in groups.items():
            table, columns = _columns_of(model)
            values = []
            for row in group:
                for column in columns:
                    if column.default is not None and getattr(row, column.attribute) is None:
                        setattr(row, column.attribute, column.default())
                values.append({c.name: getattr(row, c.attribute) for c in columns})
            await session.execute(insert(table), values)
    except IntegrityError:
        raise Conflict(f"a {noun} of the batch clashes with one written meanwhile") from None
