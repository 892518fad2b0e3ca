"""HTTP surface of scripts (operationIds as DESIGN §8)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import (
    AUTH_RESPONSES,
    STEP_UP_MAX_AGE,
    CurrentPrincipal,
    step_up_error,
)
from fountainai.core.elements import Comment, ElementType, IdParam
from fountainai.core.story.schemas import VersionNumber
from fountainai.services.scripts.dependencies import (
    READER,
    WRITER,
    ElementWriterDep,
    SettingsDep,
)
from fountainai.services.scripts.scripts.schemas import (
    ScriptCreate,
    ScriptRead,
    ScriptReplace,
    ScriptSort,
    ScriptUpdate,
)
from fountainai.services.scripts.scripts.service import ScriptService

router = APIRouter(tags=["scripts"], responses=AUTH_RESPONSES)

ScriptIdPath = Annotated[IdParam, Path(alias="scriptId")]
SearchText = Annotated[str | None, Query(min_length=1, max_length=300)]


async def get_script_service(
    writer: ElementWriterDep, principal: CurrentPrincipal
) -> ScriptService:
    return ScriptService(writer, actor=principal.actor)


ScriptServiceDep = Annotated[ScriptService, Depends(get_script_service)]


@router.get(
    "/scripts",
    dependencies=[READER],
    operation_id="listScripts",
    summary=(
        "Scripts, filtered by author, title, a section's title, a character or action in "
        "them, or whether they are unfinished imports; sorted and paged."
    ),
)
async def list_scripts(
    service: ScriptServiceDep,
    page: PageParamsDep,
    author: Annotated[str | None, Query(max_length=200, description="Exact, any case.")] = None,
    title: Annotated[SearchText, Query(description="Contained in the title, any case.")] = None,
    section_title: Annotated[
        SearchText, Query(alias="sectionTitle", description="Contained in a section's title.")
    ] = None,
    character_id: Annotated[
        IdParam | None, Query(alias="characterId", description="The script this character is in.")
    ] = None,
    action_id: Annotated[
        IdParam | None, Query(alias="actionId", description="The script this action is in.")
    ] = None,
    importing: Annotated[
        bool | None, Query(description="Only unfinished imports (true) or only the others.")
    ] = None,
    sort: ScriptSort = ScriptSort.CREATED_AT_DESC,
) -> Page[ScriptRead]:
    containing = {ElementType.CHARACTER: character_id, ElementType.ACTION: action_id}
    return await service.page(
        page,
        author=author,
        title=title,
        section_title=section_title,
        sort=sort,
        importing=importing,
        containing={kind: id_ for kind, id_ in containing.items() if id_ is not None},
    )


@router.post(
    "/scripts",
    dependencies=[WRITER],
    operation_id="createScript",
    summary="Create a script; it gets its number from Central Sequence before it is committed.",
    description=(
        "`importing: true` creates it as an unfinished import (a screenplay import's first "
        'step): until `PATCH {"importing": false}` finishes it, any writer may delete it '
        "without a second factor."
    ),
    status_code=status.HTTP_201_CREATED,
)
async def create_script(body: ScriptCreate, service: ScriptServiceDep) -> ScriptRead:
    return await service.create(body)


@router.get(
    "/scripts/{scriptId}",
    dependencies=[READER],
    operation_id="getScript",
    summary="One script.",
    responses=problem_responses(NotFound),
)
async def get_script(script_id: ScriptIdPath, service: ScriptServiceDep) -> ScriptRead:
    return await service.read(script_id)


@router.patch(
    "/scripts/{scriptId}",
    dependencies=[WRITER],
    operation_id="updateScript",
    summary="Change the fields sent; the previous state is kept as a version first.",
    description=(
        "`importing: false` finishes an import; `true` is refused (422): a script never becomes "
        "an unfinished import again. `importing` is not part of a version, so a restore never "
        "changes it."
    ),
    responses=problem_responses(NotFound),
)
async def update_script(
    script_id: ScriptIdPath, body: ScriptUpdate, service: ScriptServiceDep
) -> ScriptRead:
    return await service.update(script_id, body.changes(), comment=body.comment)


@router.put(
    "/scripts/{scriptId}",
    dependencies=[WRITER],
    operation_id="replaceScript",
    summary="Replace every field (omitted ones take their defaults); versioned first.",
    description="`importing` is not one of the fields: PUT leaves it as it is (sending it is "
    "a 422); PATCH finishes an import.",
    responses=problem_responses(NotFound),
)
async def replace_script(
    script_id: ScriptIdPath, body: ScriptReplace, service: ScriptServiceDep
) -> ScriptRead:
    changes = body.model_dump(exclude={"comment"})
    return await service.update(script_id, changes, comment=body.comment)


@router.delete(
    "/scripts/{scriptId}",
    dependencies=[WRITER],
    operation_id="deleteScript",
    summary=(
        "Delete a script (writer with a second factor within 5 minutes, or any writer while it "
        "is an unfinished import)."
    ),
    description=(
        "Keeps a last version, deletes the row and takes the script out of Central Sequence. "
        "A script with sections, transitions or markup answers 409 unless `cascade=true`, "
        "which deletes them too (each versioned first; at most "
        "`FOUNTAIN_SCRIPTS_MAX_CASCADE_SIZE`); so does a script while other services "
        "(Characters) still have elements in its order. "
        "A finished script needs a token whose `amr` has `otp` used within 300 s; "
        "others get 401 `insufficient-user-authentication`. An unfinished import (`importing: "
        "true`) needs no second factor: any writer may clean up a failed import."
    ),
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def delete_script(
    script_id: ScriptIdPath,
    service: ScriptServiceDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    cascade: bool = False,
    comment: Annotated[Comment, Query()] = "",
) -> None:
    stepped_up = principal.has_recent_otp(STEP_UP_MAX_AGE, now=time.time())
    await service.delete(
        script_id,
        cascade=cascade,
        limit=settings.max_cascade_size,
        comment=comment,
        missing_step_up=None if stepped_up else step_up_error(STEP_UP_MAX_AGE, settings.twofa_url),
    )


@router.post(
    "/scripts/{scriptId}/restore",
    dependencies=[WRITER],
    operation_id="restoreScript",
    summary="Put back version N of a script (its current state is kept as a version first).",
    responses=problem_responses(NotFound, Conflict),
)
async def restore_script(
    script_id: ScriptIdPath,
    version: Annotated[VersionNumber, Query()],
    service: ScriptServiceDep,
    comment: Annotated[Comment, Query()] = "",
) -> ScriptRead:
    return await service.restore(script_id, version, comment=comment)
