"""Queries over sessions and their audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, UnaryExpression, func, literal, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB

from fountainai.core import current_request_id
from fountainai.core.db import Repository, utcnow
from fountainai.services.sessions.models import SessionAudit, WorkSession
from fountainai.services.sessions.sessions.schemas import SessionSort

_ORDER: dict[SessionSort, tuple[UnaryExpression[Any], UnaryExpression[Any]]] = {
    SessionSort.CREATED_AT: (WorkSession.created_at.asc(), WorkSession.id.asc()),
    SessionSort.CREATED_AT_DESC: (WorkSession.created_at.desc(), WorkSession.id.desc()),
    SessionSort.UPDATED_AT: (WorkSession.updated_at.asc(), WorkSession.id.asc()),
    SessionSort.UPDATED_AT_DESC: (WorkSession.updated_at.desc(), WorkSession.id.desc()),
    SessionSort.TITLE: (WorkSession.title.asc(), WorkSession.id.asc()),
    SessionSort.TITLE_DESC: (WorkSession.title.desc(), WorkSession.id.desc()),
}


@dataclass(frozen=True)
class SessionFilter:
    """What a listing keeps: ``owner=None`` means everyone's (admins only)."""

    owner: str | None = None
    script_id: int | None = None
    context: str | None = None


class SessionRepository(Repository):
    async def get(self, session_id: int, *, owner: str | None) -> WorkSession | None:
        """The session, if it exists and (unless ``owner`` is None) belongs to ``owner``."""
        query = select(WorkSession).where(WorkSession.id == session_id)
        if owner is not None:
            query = query.where(WorkSession.owner == owner)
        return await self.session.scalar(query)

    async def add(self, row: WorkSession) -> WorkSession:
        self.session.add(row)
        await self.session.flush()
        return row

    async def delete(self, row: WorkSession) -> None:
        await self.session.delete(row)
        await self.session.flush()

    async def page(
        self, where: SessionFilter, *, sort: SessionSort, limit: int, offset: int
    ) -> tuple[list[WorkSession], int]:
        conditions = self._conditions(where)
        total: int = (
            await self.session.execute(select(func.count(WorkSession.id)).where(*conditions))
        ).scalar_one()
        query = select(WorkSession).where(*conditions).order_by(*_ORDER[sort])
        rows = await self.session.scalars(query.limit(limit).offset(offset))
        return list(rows), total

    def _conditions(self, where: SessionFilter) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if where.owner is not None:
            conditions.append(WorkSession.owner == where.owner)
        if where.script_id is not None:
            conditions.append(WorkSession.script_id == where.script_id)
        if where.context is not None:
            conditions.append(self._context_contains(where.context))
        return conditions

    def _context_contains(self, value: str) -> ColumnElement[bool]:
        """The context list holds exactly ``value`` (a whole item, never a substring)."""
        if self.dialect == "postgresql":
            return type_coerce(WorkSession.context, JSONB).contains([value])
        items = func.json_each(WorkSession.context).table_valued("value")
        return select(literal(1)).select_from(items).where(items.c.value == value).exists()

    async def record(self, action: str, row: WorkSession, *, actor: str, comment: str) -> None:
        """Keep who wrote what to which session, and why (``comment``)."""
        self.session.add(
            SessionAudit(
                action=action,
                session_id=row.id,
                owner=row.owner,
                actor=actor,
                comment=comment,
                request_id=current_request_id(),
                occurred_at=utcnow(),
            )
        )
        await self.session.flush()
