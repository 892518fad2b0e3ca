"""HTTP surface of markup: notes, lyrics, centered text, page breaks and synopses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.elements import Comment, IdParam
from fountainai.core.story.schemas import PositionParam, VersionNumber
from fountainai.services.scripts.dependencies import READER, WRITER, ElementWriterDep
from fountainai.services.scripts.markup.schemas import (
    MarkupCreate,
    MarkupKind,
    MarkupRead,
    MarkupUpdate,
)
from fountainai.services.scripts.markup.service import MarkupService

router = APIRouter(tags=["markup"], responses=AUTH_RESPONSES)

ScriptIdPath = Annotated[IdParam, Path(alias="scriptId")]
MarkupIdPath = Annotated[IdParam, Path(alias="markupId")]


async def get_markup_service(
    writer: ElementWriterDep, principal: CurrentPrincipal
) -> MarkupService:
    return MarkupService(writer, actor=principal.actor)


MarkupServiceDep = Annotated[MarkupService, Depends(get_markup_service)]


@router.get(
    "/scripts/{scriptId}/markup",
    dependencies=[READER],
    operation_id="listMarkup",
    summary="A script's markup in reading order, optionally of one kind and of one section.",
    responses=problem_responses(NotFound),
)
async def list_markup(
    script_id: ScriptIdPath,
    service: MarkupServiceDep,
    page: PageParamsDep,
    kind: MarkupKind | None = None,
    section_id: Annotated[IdParam | None, Query(alias="sectionId")] = None,
) -> Page[MarkupRead]:
    markup = await service.of_kind(script_id, kind=kind, section_id=section_id)
    return page.page(markup[page.offset : page.offset + page.limit], len(markup))


@router.post(
    "/scripts/{scriptId}/markup",
    dependencies=[WRITER],
    operation_id="createMarkup",
    summary="Add a note, lyric, centered text, page break or synopsis (appended, or inserted at "
    "`position`); numbered, as its own kind, before it commits.",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound),
)
async def create_markup(
    script_id: ScriptIdPath, body: MarkupCreate, service: MarkupServiceDep
) -> MarkupRead:
    return await service.create(script_id, body, position=body.position, comment=body.comment)


@router.get(
    "/markup/{markupId}",
    dependencies=[READER],
    operation_id="getMarkup",
    summary="One markup element.",
    responses=problem_responses(NotFound),
)
async def get_markup(markup_id: MarkupIdPath, service: MarkupServiceDep) -> MarkupRead:
    return await service.read(markup_id)


@router.patch(
    "/markup/{markupId}",
    dependencies=[WRITER],
    operation_id="updateMarkup",
    summary="Change the text or section (not the kind); the previous state is kept as a "
    "version first.",
    responses=problem_responses(NotFound),
)
async def update_markup(
    markup_id: MarkupIdPath, body: MarkupUpdate, service: MarkupServiceDep
) -> MarkupRead:
    return await service.update(markup_id, body.changes(), comment=body.comment)


@router.delete(
    "/markup/{markupId}",
    dependencies=[WRITER],
    operation_id="deleteMarkup",
    summary="Delete a markup element (versioned first); the numbers after it close the gap.",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def delete_markup(
    markup_id: MarkupIdPath,
    service: MarkupServiceDep,
    comment: Annotated[Comment, Query()] = "",
) -> None:
    await service.delete(markup_id, comment=comment)


@router.post(
    "/markup/{markupId}/restore",
    dependencies=[WRITER],
    operation_id="restoreMarkup",
    summary=(
        "Put back version N of a markup element (its current state is kept as a version first); "
        "a deleted one comes back under its id."
    ),
    responses=problem_responses(NotFound, Conflict),
)
async def restore_markup(
    markup_id: MarkupIdPath,
    version: Annotated[VersionNumber, Query()],
    service: MarkupServiceDep,
    comment: Annotated[Comment, Query()] = "",
    position: Annotated[PositionParam | None, Query()] = None,
) -> MarkupRead:
    return await service.restore(markup_id, version, comment=comment, position=position)
