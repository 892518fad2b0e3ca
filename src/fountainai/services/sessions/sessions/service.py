"""Session rules: the creator owns a session; others (admins aside) cannot tell it exists."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import NotFound, PermissionDenied, UnprocessableEntity
from fountainai.core.auth import Principal, Role
from fountainai.core.db import utcnow
from fountainai.services.sessions.models import WorkSession
from fountainai.services.sessions.sessions.repository import SessionFilter, SessionRepository
from fountainai.services.sessions.sessions.schemas import (
    MAX_CONTEXT_ITEMS,
    SessionCreate,
    SessionPatch,
    SessionSort,
)


class SessionService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.repo = SessionRepository(session)
        self.principal = principal
        self.is_admin = principal.has_role(Role.ADMIN)

    async def create(self, body: SessionCreate) -> WorkSession:
        now = utcnow()
        row = await self.repo.add(
            WorkSession(
                owner=self.principal.subject,
                owner_name=self.principal.actor,
                title=body.title,
                script_id=body.script_id,
                context=list(body.context),
                created_at=now,
                updated_at=now,
            )
        )
        await self._record("create", row, body.comment)
        return row

    async def get(self, session_id: int) -> WorkSession:
        """The session if the caller may see it (own, or any for admins); else 404."""
        row = await self.repo.get(session_id, owner=None if self.is_admin else self._subject)
        if row is None:
            raise NotFound(f"session {session_id} not found")
        return row

    async def page(
        self,
        *,
        owner: str | None,
        script_id: int | None,
        context: str | None,
        sort: SessionSort,
        limit: int,
        offset: int,
    ) -> tuple[list[WorkSession], int]:
        if not self.is_admin:
            if owner is not None and owner != self._subject:
                raise PermissionDenied("only admins may list other users' sessions")
            owner = self._subject
        where = SessionFilter(owner=owner, script_id=script_id, context=context)
        return await self.repo.page(where, sort=sort, limit=limit, offset=offset)

    async def replace(self, session_id: int, body: SessionCreate) -> WorkSession:
        row = await self.get(session_id)
        row.title = body.title
        row.script_id = body.script_id
        row.context = list(body.context)
        row.updated_at = utcnow()
        await self._record("replace", row, body.comment)
        return row

    async def update(self, session_id: int, body: SessionPatch) -> WorkSession:
        row = await self.get(session_id)
        given = body.model_fields_set
        if body.title is not None:
            row.title = body.title
        if "script_id" in given:
            row.script_id = body.script_id
        context = list(body.context) if body.context is not None else list(row.context)
        context.extend(body.append_context or ())
        if len(context) > MAX_CONTEXT_ITEMS:
            raise UnprocessableEntity(
                f"the context would hold {len(context)} items; at most {MAX_CONTEXT_ITEMS} allowed"
            )
        row.context = context  # a new list, so the change is seen and written
        row.updated_at = utcnow()
        await self._record("update", row, body.comment)
        return row

    async def delete(self, session_id: int, comment: str) -> None:
        row = await self.get(session_id)
        await self._record("delete", row, comment)
        await self.repo.delete(row)

    @property
    def _subject(self) -> str:
        return self.principal.subject

    async def _record(self, action: str, row: WorkSession, comment: str) -> None:
        await self.repo.record(action, row, actor=self.principal.actor, comment=comment)
