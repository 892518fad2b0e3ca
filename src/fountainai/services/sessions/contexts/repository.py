"""Queries over contexts and their change history."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, Table, Text, and_, func, select
from sqlalchemy import cast as sql_cast

from fountainai.core.db import Repository
from fountainai.core.db.upsert import dialect_insert
from fountainai.services.sessions.models import ContextChange, TargetContext

_contexts = cast("Table", TargetContext.__table__)


class ContextRepository(Repository):
    async def get(self, target_type: str, target_id: int) -> TargetContext | None:
        return await self.session.get(TargetContext, (target_type, target_id))

    async def lock(self, target_type: str, target_id: int, *, script_id: int) -> TargetContext:
        """The target's row, created empty (in ``script_id``) if missing, locked until the
        transaction ends (so concurrent writes to one target take turns and revisions never
        collide)."""
        create_if_missing = (
            dialect_insert(self.dialect, _contexts)
            .values(
                target_type=target_type,
                target_id=target_id,
                script_id=script_id,
                state={},
                revision=0,
            )
            .on_conflict_do_nothing(index_elements=[_contexts.c.target_type, _contexts.c.target_id])
        )
        await self.session.execute(create_if_missing)
        row = await self.session.scalar(
            select(TargetContext)
            .where(TargetContext.target_type == target_type, TargetContext.target_id == target_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return cast("TargetContext", row)

    async def add_changes(self, changes: list[ContextChange]) -> None:
        self.session.add_all(changes)
        await self.session.flush()

    async def history(
        self, target_type: str, target_id: int, *, key: str | None, limit: int, offset: int
    ) -> tuple[list[ContextChange], int]:
        conditions: list[Any] = [
            ContextChange.target_type == target_type,
            ContextChange.target_id == target_id,
        ]
        if key is not None:
            conditions.append(ContextChange.key == key)
        total: int = (
            await self.session.execute(select(func.count(ContextChange.id)).where(*conditions))
        ).scalar_one()
        rows = await self.session.scalars(
            select(ContextChange)
            .where(*conditions)
            .order_by(ContextChange.revision.desc(), ContextChange.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(rows), total

    async def of_script(
        self, script_id: int, *, key: str | None, value: str | None, limit: int, offset: int
    ) -> tuple[list[TargetContext], int]:
        """The script's non-empty contexts by (target type, target id): those holding ``key``,
        and with ``value`` those whose ``key`` is exactly that JSON string."""
        conditions = [TargetContext.script_id == script_id, self._non_empty()]
        if key is not None:
            conditions.append(self._holds(key, value))
        total: int = (
            await self.session.execute(
                select(func.count()).select_from(TargetContext).where(*conditions)
            )
        ).scalar_one()
        rows = await self.session.scalars(
            select(TargetContext)
            .where(*conditions)
            .order_by(self._type_order(), TargetContext.target_id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), total

    def _non_empty(self) -> ColumnElement[bool]:
        # A target whose keys were all deleted (or written with deletions only) keeps an empty row.
        if self.dialect == "postgresql":
            return TargetContext.state != {}
        return func.json(TargetContext.state) != "{}"

    def _holds(self, key: str, value: str | None) -> ColumnElement[bool]:
        """``key`` present (values are never JSON null: null deletes); with ``value``: that
        string, not a number, list or object that merely looks like it."""
        state = TargetContext.state
        if self.dialect == "postgresql":
            found = state.op("->")(key)
            if value is None:
                return found.is_not(None)
            return found == func.to_jsonb(sql_cast(value, Text))
        path = '$."' + key + '"'  # keys are [A-Za-z0-9_.-]: quoted, a dot is not a path step
        kind = func.json_type(state, path)
        if value is None:
            return kind.is_not(None)
        return and_(kind == "text", func.json_extract(state, path) == value)

    def _type_order(self) -> ColumnElement[str]:
        # Byte order on both backends (PostgreSQL's default collation may follow the locale).
        if self.dialect == "postgresql":
            return TargetContext.target_type.collate("C")
        return TargetContext.target_type.expression
