"""HTTP surface of the batch endpoints (a screenplay import's way in)."""

from __future__ import annotations

from fastapi import APIRouter, status

from fountainai.core import Conflict, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.services.characters.actions.service import ActionService
from fountainai.services.characters.batch.schemas import (
    ActionBatchCreate,
    ActionBatchRead,
    CharacterBatchCreate,
    CharacterBatchRead,
    LineBatchCreate,
    LineBatchRead,
)
from fountainai.services.characters.batch.service import BatchService, LineBatchService
from fountainai.services.characters.characters.service import CharacterService
from fountainai.services.characters.dependencies import (
    WRITER,
    ElementWriterDep,
    ScriptRefsDep,
    SettingsDep,
)
from fountainai.services.characters.lines.service import LineService

router = APIRouter(tags=["batch"], responses=AUTH_RESPONSES)


@router.post(
    "/characters/batch",
    dependencies=[WRITER],
    operation_id="createCharacters",
    summary="Add many characters to a script in order: one transaction, one numbering call.",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def create_characters(
    body: CharacterBatchCreate,
    writer: ElementWriterDep,
    refs: ScriptRefsDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> CharacterBatchRead:
    kind = CharacterService(writer, refs, actor=principal.actor)
    service = BatchService(kind, max_batch_size=settings.max_batch_size)
    return CharacterBatchRead(items=await service.create(body))


@router.post(
    "/actions/batch",
    dependencies=[WRITER],
    operation_id="createActions",
    summary="Add many actions to a script in reading order: one transaction, one numbering call.",
    status_code=status.HTTP_201_CREATED,
)
async def create_actions(
    body: ActionBatchCreate,
    writer: ElementWriterDep,
    refs: ScriptRefsDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> ActionBatchRead:
    kind = ActionService(writer, refs, actor=principal.actor)
    service = BatchService(kind, max_batch_size=settings.max_batch_size)
    return ActionBatchRead(items=await service.create(body))


@router.post(
    "/lines/batch",
    dependencies=[WRITER],
    operation_id="createLines",
    summary="Add many lines to a script in reading order, grouped in speeches (by speechId or "
    "a batch-local speechKey): one transaction, one numbering call.",
    status_code=status.HTTP_201_CREATED,
)
async def create_lines(
    body: LineBatchCreate,
    writer: ElementWriterDep,
    refs: ScriptRefsDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> LineBatchRead:
    kind = LineService(writer, refs, actor=principal.actor)
    service = LineBatchService(kind, max_batch_size=settings.max_batch_size)
    return LineBatchRead(items=await service.create(body))
