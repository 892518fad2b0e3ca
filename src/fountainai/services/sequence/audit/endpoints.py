from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fountainai.core import Page, PageParamsDep
from fountainai.core.auth import AUTH_RESPONSES
from fountainai.core.db import SessionDep
from fountainai.core.elements import ElementType, IdParam
from fountainai.services.sequence.audit.repository import AuditRepository
from fountainai.services.sequence.audit.schemas import AuditAction, AuditEntryRead
from fountainai.services.sequence.dependencies import READER

router = APIRouter(tags=["audit"], responses=AUTH_RESPONSES)


@router.get(
    "/audit",
    dependencies=[READER],
    operation_id="listAuditEntries",
    summary="The audit trail of writes (newest first), with each write's comment.",
)
async def list_audit_entries(
    session: SessionDep,
    page: PageParamsDep,
    script_id: Annotated[IdParam | None, Query(alias="scriptId")] = None,
    element_type: Annotated[ElementType | None, Query(alias="elementType")] = None,
    element_id: Annotated[IdParam | None, Query(alias="elementId")] = None,
    action: AuditAction | None = None,
) -> Page[AuditEntryRead]:
    entries, total = await AuditRepository(session).page(
        script_id=script_id,
        element_type=element_type,
        element_id=element_id,
        action=action,
        limit=page.limit,
        offset=page.offset,
    )
    return page.page(
        [AuditEntryRead.model_validate(entry, from_attributes=True) for entry in entries], total
    )
