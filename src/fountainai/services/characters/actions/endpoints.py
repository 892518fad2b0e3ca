"""HTTP surface of actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.elements import Comment, IdParam
from fountainai.core.story import PositionParam, VersionNumber
from fountainai.services.characters.actions.schemas import ActionCreate, ActionRead, ActionUpdate
from fountainai.services.characters.actions.service import ActionService
from fountainai.services.characters.dependencies import (
    READER,
    WRITER,
    ElementWriterDep,
    ScriptRefsDep,
)
from fountainai.services.characters.listing import Filters
from fountainai.services.characters.query import (
    CharacterIdQuery,
    KeywordQuery,
    ScriptIdQuery,
    SectionIdQuery,
)

router = APIRouter(tags=["actions"], responses=AUTH_RESPONSES)

ActionIdPath = Annotated[IdParam, Path(alias="actionId")]


async def get_action_service(
    writer: ElementWriterDep, refs: ScriptRefsDep, principal: CurrentPrincipal
) -> ActionService:
    return ActionService(writer, refs, actor=principal.actor)


ActionServiceDep = Annotated[ActionService, Depends(get_action_service)]


@router.get(
    "/actions",
    dependencies=[READER],
    operation_id="listActions",
    summary="Actions of a script (or of a character's script) in reading order, filtered.",
    responses=problem_responses(NotFound),
)
async def list_actions(
    service: ActionServiceDep,
    page: PageParamsDep,
    script_id: ScriptIdQuery = None,
    character_id: CharacterIdQuery = None,
    section_id: SectionIdQuery = None,
    keyword: KeywordQuery = None,
) -> Page[ActionRead]:
    filters = Filters(script_id, character_id, section_id, keyword=keyword)
    return page.of_all(await service.matching(filters))


@router.post(
    "/actions",
    dependencies=[WRITER],
    operation_id="createAction",
    summary="Add an action (appended, or inserted at `position`); numbered before it commits.",
    status_code=status.HTTP_201_CREATED,
)
async def create_action(body: ActionCreate, service: ActionServiceDep) -> ActionRead:
    return await service.create(body.script_id, body, position=body.position, comment=body.comment)


@router.get(
    "/actions/{actionId}",
    dependencies=[READER],
    operation_id="getAction",
    summary="One action.",
    responses=problem_responses(NotFound),
)
async def get_action(action_id: ActionIdPath, service: ActionServiceDep) -> ActionRead:
    return await service.read(action_id)


@router.patch(
    "/actions/{actionId}",
    dependencies=[WRITER],
    operation_id="updateAction",
    summary="Change the fields sent; the previous state is kept as a version first.",
    responses=problem_responses(NotFound),
)
async def update_action(
    action_id: ActionIdPath, body: ActionUpdate, service: ActionServiceDep
) -> ActionRead:
    return await service.update(action_id, body.changes(), comment=body.comment)


@router.delete(
    "/actions/{actionId}",
    dependencies=[WRITER],
    operation_id="deleteAction",
    summary="Delete an action (versioned first); the numbers after it close the gap.",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def delete_action(
    action_id: ActionIdPath,
    service: ActionServiceDep,
    comment: Annotated[Comment, Query()] = "",
) -> None:
    await service.delete(action_id, comment=comment)


@router.post(
    "/actions/{actionId}/restore",
    dependencies=[WRITER],
    operation_id="restoreAction",
    summary=(
        "Put back version N of an action (its current state is kept as a version first); "
        "a deleted one comes back under its id."
    ),
    responses=problem_responses(NotFound, Conflict),
)
async def restore_action(
    action_id: ActionIdPath,
    version: Annotated[VersionNumber, Query()],
    service: ActionServiceDep,
    comment: Annotated[Comment, Query()] = "",
    position: Annotated[PositionParam | None, Query()] = None,
) -> ActionRead:
    return await service.restore(action_id, version, comment=comment, position=position)
