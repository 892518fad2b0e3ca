from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, AdminDep, WriterDep, require_recent_otp
from fountainai.core.db import SessionDep
from fountainai.core.elements import Comment, ElementIdPath, ElementTypePath
from fountainai.services.sequence.dependencies import READER
from fountainai.services.sequence.versioning.repository import VersionRepository
from fountainai.services.sequence.versioning.schemas import (
    PurgeResult,
    VersionDiff,
    VersionRead,
    VersionRequest,
    VersionSummary,
)
from fountainai.services.sequence.versioning.service import VersionService

router = APIRouter(tags=["versions"], responses=AUTH_RESPONSES)

VersionPath = Annotated[int, Path(alias="versionNumber", ge=1, le=2**31 - 1)]


@router.post(
    "/sequence/version",
    operation_id="createVersion",
    summary="Keep a snapshot of an element (newVersionData) as its next version number.",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def create_version(
    body: VersionRequest, session: SessionDep, writer: WriterDep
) -> VersionRead:
    version = await VersionService(session, actor=writer.actor).create(body)
    return VersionRead.model_validate(version, from_attributes=True)


@router.get(
    "/versions/{elementType}/{elementId}",
    dependencies=[READER],
    operation_id="listVersions",
    summary="An element's versions, newest first (without their data).",
)
async def list_versions(
    element_type: ElementTypePath,
    element_id: ElementIdPath,
    session: SessionDep,
    page: PageParamsDep,
) -> Page[VersionSummary]:
    versions, total = await VersionRepository(session).page(
        element_type, element_id, limit=page.limit, offset=page.offset
    )
    return page.page(
        [VersionSummary.model_validate(v, from_attributes=True) for v in versions], total
    )


@router.get(
    "/versions/{elementType}/{elementId}/{versionNumber}",
    dependencies=[READER],
    operation_id="getVersion",
    summary="One version of an element, with its snapshot data.",
    responses=problem_responses(NotFound),
)
async def get_version(
    element_type: ElementTypePath,
    element_id: ElementIdPath,
    version_number: VersionPath,
    session: SessionDep,
) -> VersionRead:
    version = await VersionService(session).get(element_type, element_id, version_number)
    return VersionRead.model_validate(version, from_attributes=True)


@router.get(
    "/versions/{elementType}/{elementId}/{versionNumber}/diff",
    dependencies=[READER],
    operation_id="diffVersions",
    summary="JSON Patch from version `against` (default: the one before) to this version.",
    responses=problem_responses(NotFound),
)
async def diff_versions(
    element_type: ElementTypePath,
    element_id: ElementIdPath,
    version_number: VersionPath,
    session: SessionDep,
    against: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> VersionDiff:
    return await VersionService(session).diff(element_type, element_id, version_number, against)


@router.delete(
    "/versions/{elementType}/{elementId}",
    dependencies=[Depends(require_recent_otp())],
    operation_id="purgeVersions",
    summary="Delete an element's version history (admin, second factor within 5 minutes).",
    description=(
        "Deletes every version of the element, or all but the newest `keepLatest`. Version "
        "numbers are never reused. High privilege: an admin whose token carries a second "
        "factor (`amr` has `otp`) used within the last 300 s; others get 401 "
        "`insufficient-user-authentication` naming the 2FA step-up endpoint."
    ),
)
async def purge_versions(
    element_type: ElementTypePath,
    element_id: ElementIdPath,
    session: SessionDep,
    admin: AdminDep,
    keep_latest: Annotated[int, Query(alias="keepLatest", ge=0, le=10_000)] = 0,
    comment: Annotated[Comment, Query()] = "",
) -> PurgeResult:
    service = VersionService(session, actor=admin.actor)
    return await service.purge(element_type, element_id, keep_latest=keep_latest, comment=comment)
