"""HTTP surface of imports: ``POST /stories/import`` and the import ledger."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from fountainai.core import Conflict, NotFound, UnprocessableEntity, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal, Role
from fountainai.core.db import TransactionsDep
from fountainai.core.elements import Comment
from fountainai.core.errors import PayloadTooLarge, UpstreamUnavailable
from fountainai.services.story.dependencies import READER, WRITER, SettingsDep
from fountainai.services.story.imports.ledger import ImportLedger
from fountainai.services.story.imports.platform import PlatformDep
from fountainai.services.story.imports.runner import Limits
from fountainai.services.story.imports.schemas import Filename, ImportId, ImportReport
from fountainai.services.story.imports.service import ImportService, ImportSource
from fountainai.services.story.imports.source import SourceFormat, detect_format

router = APIRouter(tags=["imports"], responses=AUTH_RESPONSES)

ImportIdPath = Annotated[str, Path(alias="importId", pattern=r"^[0-9a-f]{32}$")]

_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "The screenplay file as the body: Fountain text, Final Draft FDX (XML), or JSON "
            '(this service\'s export format, or {"text": "<Fountain text>"}).'
        ),
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/xml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


async def get_import_service(
    transactions: TransactionsDep,
    platform: PlatformDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> ImportService:
    return ImportService(
        ImportLedger(transactions),
        platform,
        Limits(settings.import_batch_size, settings.import_batch_bytes),
        actor=principal.actor,
        max_elements=settings.max_import_elements,
        stale_after=timedelta(seconds=settings.stale_import_seconds),
    )


ImportServiceDep = Annotated[ImportService, Depends(get_import_service)]


@router.post(
    "/stories/import",
    dependencies=[WRITER],
    operation_id="importStory",
    summary="Import a Fountain, FDX or JSON screenplay as a new script, in one operation.",
    description=(
        "Creates the script, its sections and scenes, characters, actions, lines, transitions "
        "and the Fountain-only elements through the owning services' batch endpoints, in "
        "reading order. All or nothing: if a step fails, the partial script is removed and the "
        "error names the import (`importId`). The answer counts what was created and warns "
        "about what the platform had to change. Bad files get 422 (with the line when known), "
        "files over the size limit 413."
    ),
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_BODY,
    responses=problem_responses(
        UnprocessableEntity, PayloadTooLarge, Conflict, UpstreamUnavailable
    ),
)
async def import_story(
    request: Request,
    response: Response,
    service: ImportServiceDep,
    format: Annotated[
        SourceFormat | None,
        Query(description="fountain | fdx | json; default: from filename, media type, content."),
    ] = None,
    filename: Annotated[Filename, Query()] = "",
    import_id: Annotated[ImportId | None, Query(alias="importId")] = None,
    comment: Annotated[Comment, Query()] = "",
) -> ImportReport:
    data = await request.body()
    if not data.strip():
        raise UnprocessableEntity("the body is empty: send the screenplay file as the body")
    source_format = detect_format(
        format,
        filename=filename,
        content_type=request.headers.get("content-type", ""),
        data=data,
    )
    row = await service.run(ImportSource(data, source_format, filename, comment, import_id))
    response.headers["Location"] = f"/api/v1/stories?scriptId={row.script_id}"
    return ImportReport.of(row)


@router.get(
    "/stories/imports/{importId}",
    dependencies=[READER],
    operation_id="getImport",
    summary="An import's report (its own user's, or any for admins).",
    responses=problem_responses(NotFound),
)
async def get_import(
    import_id: ImportIdPath, service: ImportServiceDep, principal: CurrentPrincipal
) -> ImportReport:
    row = await service.get(import_id, is_admin=principal.has_role(Role.ADMIN))
    return ImportReport.of(row)


@router.delete(
    "/stories/imports/{importId}",
    dependencies=[WRITER],
    operation_id="discardImport",
    summary="Remove a failed import's partial script when its rollback could not.",
    description=(
        "For an import in `rollback_pending` (or `running` for longer than "
        "`stale_import_seconds`): removes its script, still marked as an unfinished import, "
        "with all its elements. 409 for any other import."
    ),
    responses=problem_responses(NotFound, Conflict, UpstreamUnavailable),
)
async def discard_import(
    import_id: ImportIdPath, service: ImportServiceDep, principal: CurrentPrincipal
) -> ImportReport:
    row = await service.discard(import_id, is_admin=principal.has_role(Role.ADMIN))
    return ImportReport.of(row)
