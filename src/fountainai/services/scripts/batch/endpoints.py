"""HTTP surface of the batch endpoint."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from fountainai.core import NotFound, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.elements import IdParam
from fountainai.services.scripts.batch.schemas import BatchCreate, BatchResult
from fountainai.services.scripts.batch.service import BatchService
from fountainai.services.scripts.dependencies import WRITER, ElementWriterDep, SettingsDep

router = APIRouter(tags=["batch"], responses=AUTH_RESPONSES)


@router.post(
    "/scripts/{scriptId}/elements/batch",
    dependencies=[WRITER],
    operation_id="createElements",
    summary="Create many sections, transitions and markup elements in reading order: one "
    "transaction, one batch numbering call.",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound),
)
async def create_elements(
    script_id: Annotated[IdParam, Path(alias="scriptId")],
    body: BatchCreate,
    writer: ElementWriterDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> BatchResult:
    service = BatchService(writer, actor=principal.actor, max_batch_size=settings.max_batch_size)
    return await service.create(script_id, body)
