"""HTTP surface of characters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.elements import Comment, IdParam
from fountainai.core.story import PositionParam, VersionNumber
from fountainai.services.characters.characters.schemas import (
    CharacterCreate,
    CharacterRead,
    CharacterReplace,
    CharacterUpdate,
)
from fountainai.services.characters.characters.service import CharacterService
from fountainai.services.characters.dependencies import (
    READER,
    WRITER,
    ElementWriterDep,
    ScriptRefsDep,
)

router = APIRouter(tags=["characters"], responses=AUTH_RESPONSES)

CharacterIdPath = Annotated[IdParam, Path(alias="characterId")]
NameQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=120, description="A name or alias, in any case."),
]


async def get_character_service(
    writer: ElementWriterDep, refs: ScriptRefsDep, principal: CurrentPrincipal
) -> CharacterService:
    return CharacterService(writer, refs, actor=principal.actor)


CharacterServiceDep = Annotated[CharacterService, Depends(get_character_service)]


@router.get(
    "/characters",
    dependencies=[READER],
    operation_id="listCharacters",
    summary="A script's characters in reading order, optionally by name or alias.",
    responses=problem_responses(NotFound),
)
async def list_characters(
    script_id: Annotated[IdParam, Query(alias="scriptId")],
    service: CharacterServiceDep,
    page: PageParamsDep,
    name: NameQuery = None,
) -> Page[CharacterRead]:
    return page.of_all(await service.of_script(script_id, name=name))


@router.get(
    "/characters/scripts/{scriptId}",
    dependencies=[READER],
    operation_id="listCharactersByScript",
    summary="A script's characters in reading order (the seeds' path).",
    responses=problem_responses(NotFound),
)
async def list_characters_by_script(
    script_id: Annotated[IdParam, Path(alias="scriptId")],
    service: CharacterServiceDep,
    page: PageParamsDep,
    name: NameQuery = None,
) -> Page[CharacterRead]:
    return page.of_all(await service.of_script(script_id, name=name))


@router.post(
    "/characters",
    dependencies=[WRITER],
    operation_id="createCharacter",
    summary="Add a character to a script; numbered where it enters the story, then committed.",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def create_character(body: CharacterCreate, service: CharacterServiceDep) -> CharacterRead:
    return await service.create(body.script_id, body, position=body.position, comment=body.comment)


@router.get(
    "/characters/{characterId}",
    dependencies=[READER],
    operation_id="getCharacterById",
    summary="One character.",
    responses=problem_responses(NotFound),
)
async def get_character(
    character_id: CharacterIdPath, service: CharacterServiceDep
) -> CharacterRead:
    return await service.read(character_id)


@router.patch(
    "/characters/{characterId}",
    dependencies=[WRITER],
    operation_id="patchCharacter",
    summary="Change the fields sent; the previous state is kept as a version first.",
    responses=problem_responses(NotFound, Conflict),
)
async def patch_character(
    character_id: CharacterIdPath, body: CharacterUpdate, service: CharacterServiceDep
) -> CharacterRead:
    return await service.update(character_id, body.changes(), comment=body.comment)


@router.put(
    "/characters/{characterId}",
    dependencies=[WRITER],
    operation_id="updateCharacter",
    summary="Replace every editable field; the previous state is kept as a version first.",
    responses=problem_responses(NotFound, Conflict),
)
async def replace_character(
    character_id: CharacterIdPath, body: CharacterReplace, service: CharacterServiceDep
) -> CharacterRead:
    changes = body.model_dump(exclude={"comment"})
    return await service.update(character_id, changes, comment=body.comment)


@router.delete(
    "/characters/{characterId}",
    dependencies=[WRITER],
    operation_id="deleteCharacter",
    summary="Delete a character that has no actions or lines (versioned first).",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def delete_character(
    character_id: CharacterIdPath,
    service: CharacterServiceDep,
    comment: Annotated[Comment, Query()] = "",
) -> None:
    await service.delete(character_id, comment=comment)


@router.post(
    "/characters/{characterId}/restore",
    dependencies=[WRITER],
    operation_id="restoreCharacter",
    summary=(
        "Put back version N of a character (its current state is kept as a version first); "
        "a deleted one comes back under its id."
    ),
    responses=problem_responses(NotFound, Conflict),
)
async def restore_character(
    character_id: CharacterIdPath,
    version: Annotated[VersionNumber, Query()],
    service: CharacterServiceDep,
    comment: Annotated[Comment, Query()] = "",
    position: Annotated[PositionParam | None, Query()] = None,
) -> CharacterRead:
    return await service.restore(character_id, version, comment=comment, position=position)
