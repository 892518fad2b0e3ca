"""Session rules: the creator owns a session; others (admins aside) cannot tell it exists; a
session links only a live script."""

from __future__ import annotations

from fountainai.core import Conflict, NotFound, PermissionDenied, UnprocessableEntity
from fountainai.core.auth import Principal, Role
from fountainai.core.db import Transactions, utcnow
from fountainai.core.elements import ElementType
from fountainai.services.sessions.models import WorkSession
from fountainai.services.sessions.references import StoryReferences
from fountainai.services.sessions.sessions.repository import SessionFilter, SessionRepository
from fountainai.services.sessions.sessions.schemas import (
    MAX_CONTEXT_ITEMS,
    SessionCreate,
    SessionPatch,
    SessionSort,
)


class SessionService:
    """Each operation in short transactions of its own: a write that links a script checks it at
    Central Sequence first, with no transaction open (on SQLite: no write lock held meanwhile),
    so a refused script or an outage writes nothing."""

    def __init__(
        self,
        transactions: Transactions,
        principal: Principal,
        *,
        references: StoryReferences | None = None,
    ) -> None:
        self.transactions = transactions
        self.principal = principal
        self.references = references
        self.is_admin = principal.has_role(Role.ADMIN)

    async def create(self, body: SessionCreate) -> WorkSession:
        if body.script_id is not None:
            await self._require_script(body.script_id)
        async with self.transactions() as session:
            repo = SessionRepository(session)
            now = utcnow()
            row = await repo.add(
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
            await self._record(repo, "create", row, body.comment)
            return row

    async def get(self, session_id: int) -> WorkSession:
        """The session if the caller may see it (own, or any for admins); else 404."""
        async with self.transactions() as session:
            return await self._visible(SessionRepository(session), session_id)

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
        async with self.transactions() as session:
            return await SessionRepository(session).page(
                where, sort=sort, limit=limit, offset=offset
            )

    async def replace(self, session_id: int, body: SessionCreate) -> WorkSession:
        checked = await self._check_new_script(session_id, body.script_id)
        async with self.transactions() as session:
            repo = SessionRepository(session)
            row = await self._visible(repo, session_id)
            _ensure_checked(row, body.script_id, checked)
            row.title = body.title
            row.script_id = body.script_id
            row.context = list(body.context)
            row.updated_at = utcnow()
            await self._record(repo, "replace", row, body.comment)
            return row

    async def update(self, session_id: int, body: SessionPatch) -> WorkSession:
        given = body.model_fields_set
        linked = body.script_id if "script_id" in given else None
        checked = await self._check_new_script(session_id, linked)
        async with self.transactions() as session:
            repo = SessionRepository(session)
            row = await self._visible(repo, session_id)
            _ensure_checked(row, linked, checked)
            if body.title is not None:
                row.title = body.title
            if "script_id" in given:
                row.script_id = body.script_id
            context = list(body.context) if body.context is not None else list(row.context)
            context.extend(body.append_context or ())
            if len(context) > MAX_CONTEXT_ITEMS:
                raise UnprocessableEntity(
                    f"the context would hold {len(context)} items; "
                    f"at most {MAX_CONTEXT_ITEMS} allowed"
                )
            row.context = context  # a new list, so the change is seen and written
            row.updated_at = utcnow()
            await self._record(repo, "update", row, body.comment)
            return row

    async def delete(self, session_id: int, comment: str) -> None:
        async with self.transactions() as session:
            repo = SessionRepository(session)
            row = await self._visible(repo, session_id)
            await self._record(repo, "delete", row, comment)
            await repo.delete(row)

    @property
    def _subject(self) -> str:
        return self.principal.subject

    async def _visible(self, repo: SessionRepository, session_id: int) -> WorkSession:
        row = await repo.get(session_id, owner=None if self.is_admin else self._subject)
        if row is None:
            raise NotFound(f"session {session_id} not found")
        return row

    async def _check_new_script(self, session_id: int, script_id: int | None) -> int | None:
        """Check ``script_id`` if the write would link the session to it anew (a link it already
        has may stay, even to a script deleted since); the id checked, if any. The session must
        be the caller's (404) before anyone is asked."""
        if script_id is None or (await self.get(session_id)).script_id == script_id:
            return None
        await self._require_script(script_id)
        return script_id

    async def _require_script(self, script_id: int) -> None:
        if self.references is None:
            raise RuntimeError("linking a script needs StoryReferences")
        if not await self.references.is_live(ElementType.SCRIPT, script_id):
            raise UnprocessableEntity(
                f"scriptId {script_id} is not a script (unknown, or deleted)",
                extra={"field": "scriptId"},
            )

    async def _record(
        self, repo: SessionRepository, action: str, row: WorkSession, comment: str
    ) -> None:
        await repo.record(action, row, actor=self.principal.actor, comment=comment)


def _ensure_checked(row: WorkSession, script_id: int | None, checked: int | None) -> None:
    """The link a write sets is the session's own or the one just checked; else the session's
    link changed between the check and the write, and the new one was never checked."""
    if script_id is not None and script_id not in (row.script_id, checked):
        raise Conflict(f"session {row.id} changed while the write was checked; try again")
