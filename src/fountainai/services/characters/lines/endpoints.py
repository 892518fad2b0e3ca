"""HTTP surface of lines (spoken words)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.elements import Comment, IdParam
from fountainai.core.story import PositionParam, VersionNumber
from fountainai.services.characters.dependencies import (
    READER,
    WRITER,
    ElementWriterDep,
    ScriptRefsDep,
)
from fountainai.services.characters.lines.schemas import LineCreate, LineRead, LineUpdate
from fountainai.services.characters.lines.service import LineService
from fountainai.services.characters.listing import Filters
from fountainai.services.characters.query import (
    CharacterIdQuery,
    KeywordQuery,
    ScriptIdQuery,
    SectionIdQuery,
    SpeechIdQuery,
)

router = APIRouter(tags=["lines"], responses=AUTH_RESPONSES)

LineIdPath = Annotated[IdParam, Path(alias="lineId")]


async def get_line_service(
    writer: ElementWriterDep, refs: ScriptRefsDep, principal: CurrentPrincipal
) -> LineService:
    return LineService(writer, refs, actor=principal.actor)


LineServiceDep = Annotated[LineService, Depends(get_line_service)]


@router.get(
    "/lines",
    dependencies=[READER],
    operation_id="listLines",
    summary="Lines of a script (or of a character's script) in reading order, filtered.",
    responses=problem_responses(NotFound),
)
async def list_lines(
    service: LineServiceDep,
    page: PageParamsDep,
    script_id: ScriptIdQuery = None,
    character_id: CharacterIdQuery = None,
    section_id: SectionIdQuery = None,
    speech_id: SpeechIdQuery = None,
    keyword: KeywordQuery = None,
) -> Page[LineRead]:
    filters = Filters(script_id, character_id, section_id, speech_id, keyword)
    return page.of_all(await service.matching(filters))


@router.post(
    "/lines",
    dependencies=[WRITER],
    operation_id="createLine",
    summary="Add a line (appended, or inserted at `position`); numbered before it commits.",
    status_code=status.HTTP_201_CREATED,
)
async def create_line(body: LineCreate, service: LineServiceDep) -> LineRead:
    return await service.create(body.script_id, body, position=body.position, comment=body.comment)


@router.get(
    "/lines/{lineId}",
    dependencies=[READER],
    operation_id="getLine",
    summary="One line.",
    responses=problem_responses(NotFound),
)
async def get_line(line_id: LineIdPath, service: LineServiceDep) -> LineRead:
    return await service.read(line_id)


@router.patch(
    "/lines/{lineId}",
    dependencies=[WRITER],
    operation_id="updateLine",
    summary="Change the fields sent; the previous state is kept as a version first.",
    responses=problem_responses(NotFound),
)
async def update_line(line_id: LineIdPath, body: LineUpdate, service: LineServiceDep) -> LineRead:
    return await service.update(line_id, body.changes(), comment=body.comment)


@router.delete(
    "/lines/{lineId}",
    dependencies=[WRITER],
    operation_id="deleteLine",
    summary="Delete a line (versioned first); the numbers after it close the gap.",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def delete_line(
    line_id: LineIdPath,
    service: LineServiceDep,
    comment: Annotated[Comment, Query()] = "",
) -> None:
    await service.delete(line_id, comment=comment)


@router.post(
    "/lines/{lineId}/restore",
    dependencies=[WRITER],
    operation_id="restoreLine",
    summary=(
        "Put back version N of a line (its current state is kept as a version first); "
        "a deleted one comes back under its id."
    ),
    responses=problem_responses(NotFound, Conflict),
)
async def restore_line(
    line_id: LineIdPath,
    version: Annotated[VersionNumber, Query()],
    service: LineServiceDep,
    comment: Annotated[Comment, Query()] = "",
    position: Annotated[PositionParam | None, Query()] = None,
) -> LineRead:
    return await service.restore(line_id, version, comment=comment, position=position)
