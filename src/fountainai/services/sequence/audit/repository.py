"""Append and query audit entries."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.context import current_request_id
from fountainai.core.db import Repository, utcnow
from fountainai.services.sequence.models import AuditEntry

_audit = cast("Table", AuditEntry.__table__)


class AuditRepository(Repository):
    def __init__(self, session: AsyncSession, *, actor: str | None = None) -> None:
        super().__init__(session)
        self.actor = actor

    async def record(
        self,
        action: str,
        *,
        comment: str,
        script_id: int | None = None,
        element_type: str | None = None,
        element_id: int | None = None,
        details: dict[str, Any] | None = None,
        actor: str | None = None,
    ) -> None:
        await self.session.execute(
            _audit.insert().values(
                occurred_at=utcnow(),
                action=action,
                script_id=script_id,
                element_type=element_type,
                element_id=element_id,
                comment=comment,
                actor=actor or self.actor,
                request_id=current_request_id(),
                details=details or {},
            )
        )

    async def page(
        self,
        *,
        script_id: int | None,
        element_type: str | None,
        element_id: int | None,
        action: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[AuditEntry], int]:
        conditions = []
        if script_id is not None:
            conditions.append(AuditEntry.script_id == script_id)
        if element_type is not None:
            conditions.append(AuditEntry.element_type == element_type)
        if element_id is not None:
            conditions.append(AuditEntry.element_id == element_id)
        if action is not None:
            conditions.append(AuditEntry.action == action)
        total = (
            await self.session.execute(select(func.count()).select_from(_audit).where(*conditions))
        ).scalar_one()
        rows = await self.session.scalars(
            select(AuditEntry)
            .where(*conditions)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(rows), total
