"""HTTP surface of the ordering domain (operationIds as the original FountainAI API)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.db import SessionDep
from fountainai.core.elements import (
    Comment,
    ElementIdPath,
    ElementType,
    ElementTypePath,
    IdParam,
)
from fountainai.services.sequence.dependencies import READER, WRITER, SettingsDep
from fountainai.services.sequence.ordering.repository import OrderingRepository
from fountainai.services.sequence.ordering.schemas import (
    BatchRemoveRequest,
    BatchRemoveResponse,
    BatchRequest,
    BatchResponse,
    DeleteResponse,
    ReorderRequest,
    ReorderResponse,
    SequenceEntry,
    SequenceRequest,
    SequenceResponse,
)
from fountainai.services.sequence.ordering.service import OrderingService

router = APIRouter(tags=["sequence"], responses=AUTH_RESPONSES)


async def get_ordering_service(
    session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> OrderingService:
    return OrderingService(session, max_batch_size=settings.max_batch_size, actor=principal.actor)


OrderingServiceDep = Annotated[OrderingService, Depends(get_ordering_service)]

ScriptIdQuery = Annotated[IdParam, Query(alias="scriptId")]


@router.post(
    "/sequence",
    dependencies=[WRITER],
    operation_id="generateSequenceNumber",
    summary="Give an element its number in its script's order (idempotent; 201 new, 200 repeat).",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Already sequenced: its current number"},
        **problem_responses(Conflict),
    },
)
async def generate_sequence_number(
    body: SequenceRequest, service: OrderingServiceDep, response: Response
) -> SequenceResponse:
    result, created = await service.allocate(body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return result


@router.post(
    "/sequence/batch",
    dependencies=[WRITER],
    operation_id="generateSequenceNumbers",
    summary="Number many elements of one script in one transaction, in order (201 if any new).",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Every element already had a number (a repeat)"},
        **problem_responses(Conflict),
    },
)
async def generate_sequence_numbers(
    body: BatchRequest, service: OrderingServiceDep, response: Response
) -> BatchResponse:
    entries = await service.allocate_batch(body)
    if not any(entry.created for entry in entries):
        response.status_code = status.HTTP_200_OK
    return BatchResponse(script_id=body.script_id, elements=entries, comment=body.comment)


@router.post(
    "/sequence/batch/remove",
    dependencies=[WRITER],
    operation_id="deleteSequenceNumbers",
    summary="Remove many elements of one script in one transaction; the rest close every gap.",
    responses={200: {"description": "Removed, and skipped (had no number: idempotent)"}},
)
async def delete_sequence_numbers(
    body: BatchRemoveRequest, service: OrderingServiceDep
) -> BatchRemoveResponse:
    return await service.remove_batch(body)


@router.api_route(
    "/sequence/batch/remove", methods=["GET", "HEAD", "DELETE"], include_in_schema=False
)
async def refuse_batch_remove_method() -> None:
    """405 (Allow: POST): without this, /sequence/{elementType}/{elementId} would take these
    methods and answer 422 for the element type 'batch'."""
    raise HTTPException(status.HTTP_405_METHOD_NOT_ALLOWED)


@router.put(
    "/sequence/reorder",
    dependencies=[WRITER],
    operation_id="reorderElements",
    summary="Apply a complete new order or a block move atomically; invalid input changes nothing.",
    responses=problem_responses(NotFound),
)
async def reorder_elements(body: ReorderRequest, service: OrderingServiceDep) -> ReorderResponse:
    return await service.reorder(body)


@router.get(
    "/sequence",
    dependencies=[READER],
    operation_id="listSequence",
    summary="A script's reading order, optionally a window startSequence..endSequence.",
)
async def list_sequence(
    session: SessionDep,
    page: PageParamsDep,
    script_id: ScriptIdQuery,
    start_sequence: Annotated[int, Query(alias="startSequence", ge=1, le=10_000_000)] = 1,
    end_sequence: Annotated[int | None, Query(alias="endSequence", ge=1, le=10_000_000)] = None,
) -> Page[SequenceEntry]:
    repo = OrderingRepository(session)
    start = start_sequence + page.offset
    placed = await repo.list_script(script_id, start=start, end=end_sequence, limit=page.limit)
    total = await repo.count(script_id, start=start_sequence, end=end_sequence)
    return page.page(
        [
            SequenceEntry(
                sequence_number=p.sequence_number,
                element_type=ElementType(p.element_type),
                element_id=p.element_id,
            )
            for p in placed
        ],
        total,
    )


@router.get(
    "/sequence/{elementType}/{elementId}",
    dependencies=[READER],
    operation_id="getSequenceNumber",
    summary="An element's script and current number.",
    responses=problem_responses(NotFound),
)
async def get_sequence_number(
    element_type: ElementTypePath,
    element_id: ElementIdPath,
    session: SessionDep,
) -> SequenceResponse:
    placed = await OrderingRepository(session).find(element_type, element_id)
    if placed is None:
        raise NotFound(f"{element_type.value} {element_id} has no sequence number")
    return SequenceResponse(
        sequence_number=placed.sequence_number,
        element_type=element_type,
        element_id=element_id,
        script_id=placed.script_id,
    )


@router.delete(
    "/sequence/{elementType}/{elementId}",
    dependencies=[WRITER],
    operation_id="deleteSequenceNumber",
    summary="Remove an element from its script's order; the numbers after it close the gap.",
    responses=problem_responses(NotFound),
)
async def delete_sequence_number(
    element_type: ElementTypePath,
    element_id: ElementIdPath,
    service: OrderingServiceDep,
    comment: Annotated[Comment, Query()] = "",
) -> DeleteResponse:
    return await service.remove(element_type, element_id, comment=comment)
