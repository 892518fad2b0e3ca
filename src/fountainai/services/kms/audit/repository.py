"""Append security events (also as a log line) and query them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select

from fountainai.core.context import current_request_id
from fountainai.core.db import Repository, utcnow
from fountainai.core.logging import get_logger
from fountainai.services.kms.audit.events import Outcome, SecurityEvent
from fountainai.services.kms.models import AuditEvent

_events = cast("Table", AuditEvent.__table__)
log = get_logger("fountainai.kms.audit")


class AuditRepository(Repository):
    async def record(
        self,
        event: SecurityEvent,
        outcome: Outcome = Outcome.SUCCESS,
        *,
        actor: str | None = None,
        target: str | None = None,
        ip: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Never pass a password, token, code or key in ``details``: they would be kept."""
        request_id = current_request_id()
        log.info(
            "security_event",
            audit_event=str(event),
            outcome=str(outcome),
            actor=actor,
            target=target,
            ip=ip,
            details=details or {},
        )
        await self.session.execute(
            _events.insert().values(
                occurred_at=utcnow(),
                event=str(event),
                outcome=str(outcome),
                actor=actor,
                target=target,
                ip=ip,
                request_id=request_id,
                details=details or {},
            )
        )

    async def page(
        self,
        *,
        event: SecurityEvent | None,
        outcome: Outcome | None,
        actor: str | None,
        target: str | None,
        since: datetime | None,
        limit: int,
        offset: int,
    ) -> tuple[list[AuditEvent], int]:
        conditions = []
        if event is not None:
            conditions.append(AuditEvent.event == str(event))
        if outcome is not None:
            conditions.append(AuditEvent.outcome == str(outcome))
        if actor is not None:
            conditions.append(AuditEvent.actor == actor)
        if target is not None:
            conditions.append(AuditEvent.target == target)
        if since is not None:
            conditions.append(AuditEvent.occurred_at >= since)
        total = (
            await self.session.execute(select(func.count()).select_from(_events).where(*conditions))
        ).scalar_one()
        rows = await self.session.scalars(
            select(AuditEvent)
            .where(*conditions)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(rows), total
