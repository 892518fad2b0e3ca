"""Queries over contexts and their change history."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, func, select

from fountainai.core.db import Repository
from fountainai.core.db.upsert import dialect_insert
from fountainai.services.sessions.models import ContextChange, TargetContext

_contexts = cast("Table", TargetContext.__table__)


class ContextRepository(Repository):
    async def get(self, target_type: str, target_id: int) -> TargetContext | None:
        return await self.session.get(TargetContext, (target_type, target_id))

    async def lock(self, target_type: str, target_id: int) -> TargetContext:
        """The target's row, created empty if missing, locked until the transaction ends (so
        concurrent writes to one target take turns and revisions never collide)."""
        create_if_missing = (
            dialect_insert(self.dialect, _contexts)
            .values(target_type=target_type, target_id=target_id, state={}, revision=0)
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
