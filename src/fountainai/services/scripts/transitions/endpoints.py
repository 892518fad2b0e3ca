"""HTTP surface of transitions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.elements import Comment, IdParam
from fountainai.core.story.schemas import PositionParam, VersionNumber
from fountainai.services.scripts.dependencies import READER, WRITER, ElementWriterDep
from fountainai.services.scripts.transitions.schemas import (
    TransitionCreate,
    TransitionRead,
    TransitionUpdate,
)
from fountainai.services.scripts.transitions.service import TransitionService

router = APIRouter(tags=["transitions"], responses=AUTH_RESPONSES)

ScriptIdPath = Annotated[IdParam, Path(alias="scriptId")]
TransitionIdPath = Annotated[IdParam, Path(alias="transitionId")]


async def get_transition_service(
    writer: ElementWriterDep, principal: CurrentPrincipal
) -> TransitionService:
    return TransitionService(writer, actor=principal.actor)


TransitionServiceDep = Annotated[TransitionService, Depends(get_transition_service)]


@router.get(
    "/scripts/{scriptId}/transitions",
    dependencies=[READER],
    operation_id="listTransitions",
    summary="A script's transitions in reading order, optionally of one section.",
    responses=problem_responses(NotFound),
)
async def list_transitions(
    script_id: ScriptIdPath,
    service: TransitionServiceDep,
    page: PageParamsDep,
    section_id: Annotated[IdParam | None, Query(alias="sectionId")] = None,
) -> Page[TransitionRead]:
    transitions = await service.in_script(script_id, section_id=section_id)
    return page.page(transitions[page.offset : page.offset + page.limit], len(transitions))


@router.post(
    "/scripts/{scriptId}/transitions",
    dependencies=[WRITER],
    operation_id="createTransition",
    summary="Add a transition (appended, or inserted at `position`); numbered before it commits.",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound),
)
async def create_transition(
    script_id: ScriptIdPath, body: TransitionCreate, service: TransitionServiceDep
) -> TransitionRead:
    return await service.create(script_id, body, position=body.position, comment=body.comment)


@router.get(
    "/transitions/{transitionId}",
    dependencies=[READER],
    operation_id="getTransition",
    summary="One transition.",
    responses=problem_responses(NotFound),
)
async def get_transition(
    transition_id: TransitionIdPath, service: TransitionServiceDep
) -> TransitionRead:
    return await service.read(transition_id)


@router.patch(
    "/transitions/{transitionId}",
    dependencies=[WRITER],
    operation_id="updateTransition",
    summary="Change the fields sent; the previous state is kept as a version first.",
    responses=problem_responses(NotFound),
)
async def update_transition(
    transition_id: TransitionIdPath, body: TransitionUpdate, service: TransitionServiceDep
) -> TransitionRead:
    return await service.update(transition_id, body.changes(), comment=body.comment)


@router.delete(
    "/transitions/{transitionId}",
    dependencies=[WRITER],
    operation_id="deleteTransition",
    summary="Delete a transition (versioned first); the numbers after it close the gap.",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def delete_transition(
    transition_id: TransitionIdPath,
    service: TransitionServiceDep,
    comment: Annotated[Comment, Query()] = "",
) -> None:
    await service.delete(transition_id, comment=comment)


@router.post(
    "/transitions/{transitionId}/restore",
    dependencies=[WRITER],
    operation_id="restoreTransition",
    summary=(
        "Put back version N of a transition (its current state is kept as a version first); "
        "a deleted one comes back under its id."
    ),
    responses=problem_responses(NotFound, Conflict),
)
async def restore_transition(
    transition_id: TransitionIdPath,
    version: Annotated[VersionNumber, Query()],
    service: TransitionServiceDep,
    comment: Annotated[Comment, Query()] = "",
    position: Annotated[PositionParam | None, Query()] = None,
) -> TransitionRead:
    return await service.restore(transition_id, version, comment=comment, position=position)
