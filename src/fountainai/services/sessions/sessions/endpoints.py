"""HTTP surface of sessions: each user's own, admins see all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from fountainai.core import NotFound, Page, PageParamsDep, PermissionDenied, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, ReaderDep, WriterDep
from fountainai.core.db import SessionDep
from fountainai.core.elements import IdParam
from fountainai.services.sessions.models import WorkSession
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


def _read(row: WorkSession) -> SessionRead:
    return SessionRead.model_validate(row, from_attributes=True)


@router.get(
    "/sessions",
    operation_id="listSessions",
    summary="The caller's sessions (an admin's: everyone's, or one owner's with `owner`).",
    responses=problem_responses(PermissionDenied),
)
async def list_sessions(
    session: SessionDep,
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
    rows, total = await SessionService(session, principal).page(
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
)
async def create_session(
    body: SessionCreate, session: SessionDep, writer: WriterDep
) -> SessionRead:
    return _read(await SessionService(session, writer).create(body))


@router.get(
    "/sessions/{sessionId}",
    operation_id="getSession",
    summary="One of the caller's sessions (404 for another user's).",
    responses=NOT_FOUND,
)
async def get_session(
    session_id: SessionIdPath, session: SessionDep, principal: ReaderDep
) -> SessionRead:
    return _read(await SessionService(session, principal).get(session_id))


@router.patch(
    "/sessions/{sessionId}",
    operation_id="updateSession",
    summary="Change the given fields; `context` replaces the list, `appendContext` extends it.",
    responses=NOT_FOUND,
)
async def update_session(
    session_id: SessionIdPath, body: SessionPatch, session: SessionDep, writer: WriterDep
) -> SessionRead:
    return _read(await SessionService(session, writer).update(session_id, body))


@router.put(
    "/sessions/{sessionId}",
    operation_id="replaceSession",
    summary="Replace a session's fields (left-out ones reset: no script, empty context).",
    responses=NOT_FOUND,
)
async def replace_session(
    session_id: SessionIdPath, body: SessionCreate, session: SessionDep, writer: WriterDep
) -> SessionRead:
    return _read(await SessionService(session, writer).replace(session_id, body))


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
    session: SessionDep,
    writer: WriterDep,
    comment: Annotated[StoredComment, Query()] = "",
) -> None:
    await SessionService(session, writer).delete(session_id, comment)
