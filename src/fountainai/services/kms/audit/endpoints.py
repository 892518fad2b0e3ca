"""``GET /audit``: the security log, for admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from fountainai.core import ApiModel, IsoDateTime, Page, PageParamsDep
from fountainai.core.auth import AUTH_RESPONSES, AdminDep
from fountainai.core.db import SessionDep
from fountainai.services.kms.audit.events import Outcome, SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository

router = APIRouter(tags=["audit"], responses=AUTH_RESPONSES)


class AuditEventRead(ApiModel):
    id: int
    occurred_at: datetime
    event: SecurityEvent
    outcome: Outcome
    actor: str | None
    target: str | None
    ip: str | None
    request_id: str | None
    details: dict[str, Any]


@router.get(
    "/audit",
    operation_id="listSecurityEvents",
    summary="Security events, newest first (admin).",
)
async def list_security_events(
    session: SessionDep,
    page: PageParamsDep,
    _admin: AdminDep,
    event: SecurityEvent | None = None,
    outcome: Outcome | None = None,
    actor: Annotated[str | None, Query(max_length=128)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    since: IsoDateTime | None = None,
) -> Page[AuditEventRead]:
    events, total = await AuditRepository(session).page(
        event=event,
        outcome=outcome,
        actor=actor,
        target=target,
        since=since,
        limit=page.limit,
        offset=page.offset,
    )
    return page.page(
        [AuditEventRead.model_validate(row, from_attributes=True) for row in events], total
    )
