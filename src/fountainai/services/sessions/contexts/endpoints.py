"""HTTP surface of contexts: shared story state (readers read, writers write)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from fountainai.core import (
    Page,
    PageParamsDep,
    UnprocessableEntity,
    UpstreamUnavailable,
    problem_responses,
)
from fountainai.core.auth import AUTH_RESPONSES, ReaderDep, WriterDep
from fountainai.core.db import TransactionsDep
from fountainai.core.elements import ElementType, IdParam
from fountainai.services.sessions.contexts.schemas import (
    ContextChangeRead,
    ContextKey,
    ContextRead,
    ContextUpdate,
)
from fountainai.services.sessions.contexts.service import ContextService
from fountainai.services.sessions.dependencies import SettingsDep
from fountainai.services.sessions.references import StoryReferencesDep

router = APIRouter(tags=["contexts"], responses=AUTH_RESPONSES)

TargetTypePath = Annotated[ElementType, Path(alias="targetType")]
TargetIdPath = Annotated[IdParam, Path(alias="targetId")]


@router.get(
    "/contexts/{targetType}/{targetId}",
    operation_id="getContext",
    summary="A story element's context (empty, revision 0, if never written).",
)
async def get_context(
    target_type: TargetTypePath,
    target_id: TargetIdPath,
    transactions: TransactionsDep,
    _: ReaderDep,
) -> ContextRead:
    return await ContextService(transactions).get(target_type, target_id)


@router.put(
    "/contexts/{targetType}/{targetId}",
    operation_id="setContext",
    summary=(
        "Set the given keys (null deletes one) of a live story element's context; each change "
        "is kept in the history."
    ),
    responses=problem_responses(UnprocessableEntity, UpstreamUnavailable),
)
async def set_context(
    target_type: TargetTypePath,
    target_id: TargetIdPath,
    body: ContextUpdate,
    transactions: TransactionsDep,
    references: StoryReferencesDep,
    settings: SettingsDep,
    writer: WriterDep,
) -> ContextRead:
    service = ContextService(
        transactions,
        references=references,
        actor=writer.actor,
        max_bytes=settings.max_context_bytes,
    )
    return await service.put(target_type, target_id, body)


@router.get(
    "/contexts/{targetType}/{targetId}/history",
    operation_id="listContextHistory",
    summary="Every change to a context, newest first; `key` keeps one key's.",
)
async def list_context_history(
    target_type: TargetTypePath,
    target_id: TargetIdPath,
    transactions: TransactionsDep,
    page: PageParamsDep,
    _: ReaderDep,
    key: Annotated[ContextKey | None, Query()] = None,
) -> Page[ContextChangeRead]:
    rows, total = await ContextService(transactions).history(
        target_type, target_id, key=key, limit=page.limit, offset=page.offset
    )
    changes = [ContextChangeRead.model_validate(row, from_attributes=True) for row in rows]
    return page.page(changes, total)
