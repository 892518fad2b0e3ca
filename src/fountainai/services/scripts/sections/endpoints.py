"""HTTP surface of sections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.elements import Comment, IdParam
from fountainai.core.story.schemas import PositionParam, VersionNumber
from fountainai.services.scripts.dependencies import READER, WRITER, ElementWriterDep, SettingsDep
from fountainai.services.scripts.sections.schemas import (
    SectionCreate,
    SectionIds,
    SectionKind,
    SectionRead,
    SectionUpdate,
)
from fountainai.services.scripts.sections.service import SectionService

router = APIRouter(tags=["sections"], responses=AUTH_RESPONSES)

ScriptIdPath = Annotated[IdParam, Path(alias="scriptId")]
SectionIdPath = Annotated[IdParam, Path(alias="sectionId")]


async def get_section_service(
    writer: ElementWriterDep, principal: CurrentPrincipal
) -> SectionService:
    return SectionService(writer, actor=principal.actor)


SectionServiceDep = Annotated[SectionService, Depends(get_section_service)]


@router.get(
    "/scripts/{scriptId}/sections",
    dependencies=[READER],
    operation_id="listSections",
    summary="A script's sections in reading order, optionally of one kind or one parent.",
    responses=problem_responses(NotFound),
)
async def list_sections(
    script_id: ScriptIdPath,
    service: SectionServiceDep,
    page: PageParamsDep,
    kind: SectionKind | None = None,
    parent_id: Annotated[IdParam | None, Query(alias="parentId")] = None,
) -> Page[SectionRead]:
    sections = await service.in_script(script_id, kind=kind, parent_id=parent_id)
    return page.page(sections[page.offset : page.offset + page.limit], len(sections))


@router.get(
    "/scripts/{scriptId}/section-ids",
    dependencies=[READER],
    operation_id="listSectionIds",
    summary="The ids of a script's sections, oldest first, unpaged and without sequence numbers: "
    "for services that check references (it does not ask Central Sequence).",
    responses=problem_responses(NotFound),
)
async def list_section_ids(script_id: ScriptIdPath, service: SectionServiceDep) -> SectionIds:
    return SectionIds(script_id=script_id, section_ids=await service.ids_in(script_id))


@router.post(
    "/scripts/{scriptId}/sections",
    dependencies=[WRITER],
    operation_id="createSection",
    summary="Add a section (appended, or inserted at `position`); numbered before it commits.",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound),
)
async def create_section(
    script_id: ScriptIdPath, body: SectionCreate, service: SectionServiceDep
) -> SectionRead:
    return await service.create(script_id, body)


@router.get(
    "/sections/{sectionId}",
    dependencies=[READER],
    operation_id="getSection",
    summary="One section.",
    responses=problem_responses(NotFound),
)
async def get_section(section_id: SectionIdPath, service: SectionServiceDep) -> SectionRead:
    return await service.read(section_id)


@router.patch(
    "/sections/{sectionId}",
    dependencies=[WRITER],
    operation_id="updateSection",
    summary="Change the fields sent (a move that would make a cycle is refused); versioned first.",
    responses=problem_responses(NotFound),
)
async def update_section(
    section_id: SectionIdPath, body: SectionUpdate, service: SectionServiceDep
) -> SectionRead:
    return await service.update(section_id, body.changes(), comment=body.comment)


@router.delete(
    "/sections/{sectionId}",
    dependencies=[WRITER],
    operation_id="deleteSection",
    summary="Delete a section; one that contains anything needs `cascade=true` (else 409).",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def delete_section(
    section_id: SectionIdPath,
    service: SectionServiceDep,
    settings: SettingsDep,
    cascade: bool = False,
    comment: Annotated[Comment, Query()] = "",
) -> None:
    await service.delete(
        section_id, cascade=cascade, limit=settings.max_cascade_size, comment=comment
    )


@router.post(
    "/sections/{sectionId}/restore",
    dependencies=[WRITER],
    operation_id="restoreSection",
    summary=(
        "Put back version N of a section (its current state is kept as a version first); "
        "a deleted one comes back under its id."
    ),
    responses=problem_responses(NotFound, Conflict),
)
async def restore_section(
    section_id: SectionIdPath,
    version: Annotated[VersionNumber, Query()],
    service: SectionServiceDep,
    comment: Annotated[Comment, Query()] = "",
    position: Annotated[PositionParam | None, Query()] = None,
) -> SectionRead:
    return await service.restore(section_id, version, comment=comment, position=position)
