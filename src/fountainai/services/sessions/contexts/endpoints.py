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
from fountainai.services.sessions.storable import StoredText

router = APIRouter(tags=["contexts"], responses=AUTH_RESPONSES)

TargetTypePath = Annotated[ElementType, Path(alias="targetType")]
TargetIdPath = Annotated[IdParam, Path(alias="targetId")]
# Percent-encoded, 2000 characters stay within what the HTTP server reads of a request line.
MAX_VALUE_FILTER_LENGTH = 2000

LIST_CONTEXTS_DESCRIPTION = """\
Every story element of the script with a non-empty context, the script's own included, ordered
by `targetType` (byte order of the names) then `targetId`, one page at a time. A context belongs
to the script Central Sequence named for its element when it was last written. A script without
any (unknown ones too: reads ask no other service) is an empty page.

Filters: `key` keeps the contexts that have that key; `value` (only with `key`, else 422) keeps
those whose `key` holds exactly that string: `value=3` matches the JSON string `"3"`, never the
number 3, a list or an object (longer strings than 2000 characters cannot be asked for). Each
context comes whole, every key included. A deleted element's context stays listed, as it stays
readable by its target.
"""


@router.get(
    "/contexts",
    operation_id="listContexts",
    summary="The non-empty contexts of a script's elements, by target type and id.",
    description=LIST_CONTEXTS_DESCRIPTION,
    responses=problem_responses(UnprocessableEntity),
)
async def list_contexts(
    script_id: Annotated[IdParam, Query(alias="scriptId")],
    transactions: TransactionsDep,
    page: PageParamsDep,
    _: ReaderDep,
    key: Annotated[
        ContextKey | None, Query(description="Only contexts that have this key.")
    ] = None,
    value: Annotated[
        StoredText | None,
        Query(
            max_length=MAX_VALUE_FILTER_LENGTH,
            description="With `key`: only contexts whose `key` is exactly this string.",
        ),
    ] = None,
) -> Page[ContextRead]:
    contexts, total = await ContextService(transactions).of_script(
        script_id, key=key, value=value, limit=page.limit, offset=page.offset
    )
    return page.page(contexts, total)


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
