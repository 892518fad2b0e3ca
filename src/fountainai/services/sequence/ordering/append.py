"""PostgreSQL's one-round-trip append: the hot path of ``generateSequenceNumber``.

Chosen by ``bench/sequence_alloc.py``: the general path costs six statements and holds the
script's row lock across all of them; this one statement locks the script row, places the
element, writes its audit entry and commits in autocommit mode, so the lock is held for one
statement and one commit flush. Same rules, same tables, same answers as the general path.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine

from fountainai.core.context import current_request_id
from fountainai.core.db import UtcDateTime, utcnow

# Data-modifying CTEs run exactly once whether or not the final SELECT reads them.
_APPEND = text(
    """
    WITH existing AS (
        SELECT script_id, sequence_number FROM sequence_elements
        WHERE element_type = :element_type AND element_id = :element_id
    ), grown AS (
        INSERT INTO sequence_scripts AS s (script_id, length, updated_at)
        SELECT :script_id, 1, :now WHERE NOT EXISTS (SELECT 1 FROM existing)
        ON CONFLICT (script_id) DO UPDATE
            SET length = s.length + 1, updated_at = excluded.updated_at
        RETURNING s.length
    ), placed AS (
        INSERT INTO sequence_elements
            (script_id, element_type, element_id, sequence_number, created_at, updated_at)
        SELECT :script_id, :element_type, :element_id, length, :now, :now FROM grown
        RETURNING sequence_number
    ), audited AS (
        INSERT INTO sequence_audit (occurred_at, action, script_id, element_type, element_id,
                                    comment, actor, request_id, details)
        SELECT :now, 'allocate', :script_id, :element_type, :element_id, :comment, :actor,
               :request_id, jsonb_build_object('sequenceNumber', sequence_number)
        FROM placed
    )
    SELECT (SELECT sequence_number FROM placed) AS created_number,
           (SELECT script_id FROM existing) AS existing_script,
           (SELECT sequence_number FROM existing) AS existing_number
    """
).bindparams(bindparam("now", type_=UtcDateTime()))

_autocommit: WeakKeyDictionary[Engine, AsyncEngine] = WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class Appended:
    script_id: int
    sequence_number: int
    created: bool


def _autocommit_engine(engine: AsyncEngine) -> AsyncEngine:
    cached = _autocommit.get(engine.sync_engine)
    if cached is None:
        cached = _autocommit[engine.sync_engine] = engine.execution_options(
            isolation_level="AUTOCOMMIT"
        )
    return cached


async def append_in_one_statement(
    engine: AsyncEngine,
    *,
    script_id: int,
    element_type: str,
    element_id: int,
    comment: str,
    actor: str | None,
) -> Appended:
    """Raises IntegrityError when a concurrent request placed the same element first."""
    async with _autocommit_engine(engine).connect() as conn:
        row = (
            await conn.execute(
                _APPEND,
                {
                    "script_id": script_id,
                    "element_type": element_type,
                    "element_id": element_id,
                    "comment": comment,
                    "actor": actor,
                    "request_id": current_request_id(),
                    "now": utcnow(),
                },
            )
        ).one()
    if row.created_number is not None:
        return Appended(script_id, row.created_number, created=True)
    return Appended(row.existing_script, row.existing_number, created=False)
