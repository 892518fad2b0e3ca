"""HTTP surface of paraphrases, and the seeds' per-kind listings
(``/characters|actions|lines/{id}/paraphrases``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from fountainai.core import (
    Conflict,
    NotFound,
    Page,
    PageParamsDep,
    UnprocessableEntity,
    problem_responses,
)
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.elements import Comment, ElementType, IdParam
from fountainai.core.story import VersionNumber
from fountainai.services.characters.dependencies import READER, WRITER, ElementWriterDep
from fountainai.services.characters.paraphrases.schemas import (
    ParaphraseCreate,
    ParaphraseRead,
    ParaphraseUpdate,
)
from fountainai.services.characters.paraphrases.service import (
    ParaphraseFilters,
    ParaphraseService,
)

router = APIRouter(tags=["paraphrases"], responses=AUTH_RESPONSES)

ParaphraseIdPath = Annotated[IdParam, Path(alias="paraphraseId")]
ElementTypeQuery = Annotated[
    ElementType | None,
    Query(alias="elementType", description="The kind of element reworded (with elementId)."),
]
ElementIdQuery = Annotated[
    IdParam | None, Query(alias="elementId", description="The element reworded (with elementType).")
]


async def get_paraphrase_service(
    writer: ElementWriterDep, principal: CurrentPrincipal
) -> ParaphraseService:
    return ParaphraseService(writer, actor=principal.actor)


ParaphraseServiceDep = Annotated[ParaphraseService, Depends(get_paraphrase_service)]


@router.get(
    "/paraphrases",
    dependencies=[READER],
    operation_id="listParaphrases",
    summary="One element's paraphrases (elementType + elementId) or a script's, oldest first.",
    responses=problem_responses(UnprocessableEntity),
)
async def list_paraphrases(
    service: ParaphraseServiceDep,
    page: PageParamsDep,
    element_type: ElementTypeQuery = None,
    element_id: ElementIdQuery = None,
    script_id: Annotated[
        IdParam | None, Query(alias="scriptId", description="The script (or give the element).")
    ] = None,
) -> Page[ParaphraseRead]:
    return await service.matching(ParaphraseFilters(element_type, element_id, script_id), page)


@router.post(
    "/paraphrases",
    dependencies=[WRITER],
    operation_id="createParaphrase",
    summary="Reword any live element (checked at Central Sequence, which gives its script).",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(UnprocessableEntity),
)
async def create_paraphrase(
    body: ParaphraseCreate, service: ParaphraseServiceDep
) -> ParaphraseRead:
    return await service.create(body)


@router.get(
    "/paraphrases/{paraphraseId}",
    dependencies=[READER],
    operation_id="getParaphrase",
    summary="One paraphrase.",
    responses=problem_responses(NotFound),
)
async def get_paraphrase(
    paraphrase_id: ParaphraseIdPath, service: ParaphraseServiceDep
) -> ParaphraseRead:
    return await service.read(paraphrase_id)


@router.patch(
    "/paraphrases/{paraphraseId}",
    dependencies=[WRITER],
    operation_id="updateParaphrase",
    summary="Change the text or commentary; the previous state is kept as a version first.",
    responses=problem_responses(NotFound),
)
async def update_paraphrase(
    paraphrase_id: ParaphraseIdPath, body: ParaphraseUpdate, service: ParaphraseServiceDep
) -> ParaphraseRead:
    return await service.update(paraphrase_id, body.changes(), comment=body.comment)


@router.delete(
    "/paraphrases/{paraphraseId}",
    dependencies=[WRITER],
    operation_id="deleteParaphrase",
    summary="Delete a paraphrase (versioned first, so it can be restored).",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def delete_paraphrase(
    paraphrase_id: ParaphraseIdPath,
    service: ParaphraseServiceDep,
    comment: Annotated[Comment, Query()] = "",
) -> None:
    await service.delete(paraphrase_id, comment=comment)


@router.post(
    "/paraphrases/{paraphraseId}/restore",
    dependencies=[WRITER],
    operation_id="restoreParaphrase",
    summary=(
        "Put back the text and commentary of version N (the current state is kept as a version "
        "first); a deleted paraphrase comes back under its id while its element exists."
    ),
    responses=problem_responses(NotFound, Conflict),
)
async def restore_paraphrase(
    paraphrase_id: ParaphraseIdPath,
    version: Annotated[VersionNumber, Query()],
    service: ParaphraseServiceDep,
    comment: Annotated[Comment, Query()] = "",
) -> ParaphraseRead:
    return await service.restore(paraphrase_id, version, comment=comment)


@router.get(
    "/characters/{characterId}/paraphrases",
    dependencies=[READER],
    operation_id="listCharacterParaphrases",
    summary="A character's paraphrases, oldest first.",
    responses=problem_responses(NotFound),
)
async def list_character_paraphrases(
    character_id: Annotated[IdParam, Path(alias="characterId")],
    service: ParaphraseServiceDep,
    page: PageParamsDep,
) -> Page[ParaphraseRead]:
    return await service.of_local_element(ElementType.CHARACTER, character_id, page)


@router.get(
    "/actions/{actionId}/paraphrases",
    dependencies=[READER],
    operation_id="listActionParaphrases",
    summary="An action's paraphrases, oldest first.",
    responses=problem_responses(NotFound),
)
async def list_action_paraphrases(
    action_id: Annotated[IdParam, Path(alias="actionId")],
    service: ParaphraseServiceDep,
    page: PageParamsDep,
) -> Page[ParaphraseRead]:
    return await service.of_local_element(ElementType.ACTION, action_id, page)


@router.get(
    "/lines/{lineId}/paraphrases",
    dependencies=[READER],
    operation_id="listLineParaphrases",
    summary="A line's paraphrases, oldest first.",
    responses=problem_responses(NotFound),
)
async def list_line_paraphrases(
    line_id: Annotated[IdParam, Path(alias="lineId")],
    service: ParaphraseServiceDep,
    page: PageParamsDep,
) -> Page[ParaphraseRead]:
    return await service.of_local_element(ElementType.SPOKEN_WORD, line_id, page)
