"""HTTP surface of sessions: each user's own, admins see all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from fountainai.core import (
    Conflict,
    NotFound,
    Page,
    PageParamsDep,
    PermissionDenied,
    UnprocessableEntity,
    UpstreamUnavailable,
    problem_responses,
)
from fountainai.core.auth import AUTH_RESPONSES, ReaderDep, WriterDep
from fountainai.core.db import TransactionsDep
from fountainai.core.elements import IdParam
from fountainai.services.sessions.models import WorkSession
from fountainai.services.sessions.references import StoryReferencesDep
from fountainai.services.sessions.sessions.schemas import (
    ContextItem,
    SessionCreate,
    SessionPatch,
    SessionRead,
    SessionSort,
)
from fountainai.services.sessions.sessions.service import SessionService
from fountainai.services.sessions.storable import StoredComment, StoredText

router = APIRouter(tags=["sessions"], responses=AUTH_RESPONSES)

SessionIdPath = Annotated[IdParam, Path(alias="sessionId")]
NOT_FOUND = problem_responses(NotFound)
# A scriptId that is no live script is a 422; Central Sequence, which says so, may be down (503).
LINKING = problem_responses(UnprocessableEntity, UpstreamUnavailable)
# ... and a session whose link changed while the new one was checked is a 409 (retry).
RELINKING = problem_responses(NotFound, Conflict, UnprocessableEntity, UpstreamUnavailable)


def _read(row: WorkSession) -> SessionRead:
    return SessionRead.model_validate(row, from_attributes=True)


@router.get(
    "/sessions",
    operation_id="listSessions",
    summary="The caller's sessions (an admin's: everyone's, or one owner's with `owner`).",
    responses=problem_responses(PermissionDenied),
)
async def list_sessions(
    transactions: TransactionsDep,
    principal: ReaderDep,
    page: PageParamsDep,
    script_id: Annotated[IdParam | None, Query(alias="scriptId")] = None,
    context: Annotated[
        ContextItem | None,
        Query(description="Only sessions whose context list holds exactly this string."),
    ] = None,
    owner: Annotated[
        StoredText | None,
        Query(max_length=128, description="Admins: only this user's (subject) sessions."),
    ] = None,
    sort: SessionSort = SessionSort.CREATED_AT,
) -> Page[SessionRead]:
    rows, total = await SessionService(transactions, principal).page(
        owner=owner,
        script_id=script_id,
        context=context,
        sort=sort,
        limit=page.limit,
        offset=page.offset,
    )
    return page.page([_read(row) for row in rows], total)


@router.post(
    "/sessions",
    operation_id="createSession",
    summary="Start a session, owned by the caller.",
    status_code=status.HTTP_201_CREATED,
    responses=LINKING,
)
async def create_session(
    body: SessionCreate,
    transactions: TransactionsDep,
    references: StoryReferencesDep,
    writer: WriterDep,
) -> SessionRead:
    service = SessionService(transactions, writer, references=references)
    return _read(await service.create(body))


@router.get(
    "/sessions/{sessionId}",
    operation_id="getSession",
    summary="One of the caller's sessions (404 for another user's).",
    responses=NOT_FOUND,
)
async def get_session(
    session_id: SessionIdPath, transactions: TransactionsDep, principal: ReaderDep
) -> SessionRead:
    return _read(await SessionService(transactions, principal).get(session_id))


@router.patch(
    "/sessions/{sessionId}",
    operation_id="updateSession",
    summary="Change the given fields; `context` replaces the list, `appendContext` extends it.",
    responses=RELINKING,
)
async def update_session(
    session_id: SessionIdPath,
    body: SessionPatch,
    transactions: TransactionsDep,
    references: StoryReferencesDep,
    writer: WriterDep,
) -> SessionRead:
    service = SessionService(transactions, writer, references=references)
    return _read(await service.update(session_id, body))


@router.put(
    "/sessions/{sessionId}",
    operation_id="replaceSession",
    summary="Replace a session's fields (left-out ones reset: no script, empty context).",
    responses=RELINKING,
)
async def replace_session(
    session_id: SessionIdPath,
    body: SessionCreate,
    transactions: TransactionsDep,
    references: StoryReferencesDep,
    writer: WriterDep,
) -> SessionRead:
    service = SessionService(transactions, writer, references=references)
    return _read(await service.replace(session_id, body))


@router.delete(
    "/sessions/{sessionId}",
    operation_id="deleteSession",
    summary="Delete a session (the audit trail keeps the deletion and its comment).",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=NOT_FOUND,
)
async def delete_session(
    session_id: SessionIdPath,
    transactions: TransactionsDep,
    writer: WriterDep,
    comment: Annotated[StoredComment, Query()] = "",
) -> None:
    await SessionService(transactions, writer).delete(session_id, comment)
