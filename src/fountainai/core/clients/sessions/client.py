"""``SessionsClient``: typed calls to the Sessions service, made with the caller's own
credentials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from fountainai.core.app import API_PREFIX
from fountainai.core.clients.base import TypedClient
from fountainai.core.clients.sessions.models import (
    UNCHANGED,
    Context,
    ContextChange,
    ContextUpdateRequest,
    SessionCreateRequest,
    SessionPatchRequest,
    SessionSort,
    Unchanged,
    WorkSession,
)
from fountainai.core.elements import ElementType
from fountainai.core.schemas import MAX_PAGE_SIZE, Page

SESSIONS_PATH: Final = f"{API_PREFIX}/sessions"
CONTEXTS_PATH: Final = f"{API_PREFIX}/contexts"


def _params(**values: str | int | None) -> dict[str, str | int]:
    return {name: value for name, value in values.items() if value is not None}


def _context_path(target_type: ElementType, target_id: int) -> str:
    return f"{CONTEXTS_PATH}/{ElementType(target_type).value}/{int(target_id)}"


class SessionsClient(TypedClient):
    """The Sessions service over one pooled ``ServiceClient``; create in the lifespan, keep on
    state.

    Every call takes ``credentials``: the end caller's own auth header (see
    ``forwarded_credentials``); the sessions service shows a user only their own sessions
    (admins: everyone's). Reads and context writes (PUT: the same keys set twice change nothing
    more) are retried on transport errors and 502/503/504; creating and patching a session
    (``append_context`` would append twice) get one attempt. Failures raise what
    ``errors.translate`` maps them to. ``contexts_of_script`` walks every page, each a separate
    read: a write between two of them may skew the result.
    """

    service_name = "Sessions"

    # --- sessions -----------------------------------------------------------------------------

    async def create_session(
        self,
        title: str,
        *,
        script_id: int | None = None,
        context: Sequence[str] = (),
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> WorkSession:
        """Start a session owned by the caller (writers only; never retried); ``script_id``
        must be a live script (else ``UnprocessableEntity``)."""
        body = SessionCreateRequest(
            title=title, script_id=script_id, context=list(context), comment=comment
        )
        return await self._call(
            "POST",
            SESSIONS_PATH,
            model=WorkSession,
            credentials=credentials,
            json=body.model_dump(mode="json", by_alias=True),
            idempotent=False,
        )

    async def get_session(self, session_id: int, *, credentials: Mapping[str, str]) -> WorkSession:
        """One of the caller's sessions (``NotFound`` for none, or another user's)."""
        return await self._call(
            "GET",
            f"{SESSIONS_PATH}/{int(session_id)}",
            model=WorkSession,
            credentials=credentials,
        )

    async def list_sessions(
        self,
        *,
        script_id: int | None = None,
        context: str | None = None,
        owner: str | None = None,
        sort: SessionSort | None = None,
        limit: int = 50,
        offset: int = 0,
        credentials: Mapping[str, str],
    ) -> Page[WorkSession]:
        """One page of the caller's sessions (an admin's: everyone's, or ``owner``'s): those of
        ``script_id``, those whose context holds exactly the string ``context``; oldest first
        unless ``sort`` says otherwise. ``PermissionDenied`` for another ``owner`` unless admin."""
        params = _params(
            scriptId=script_id,
            context=context,
            owner=owner,
            sort=None if sort is None else SessionSort(sort).value,
            limit=limit,
            offset=offset,
        )
        return await self._call(
            "GET", SESSIONS_PATH, model=Page[WorkSession], credentials=credentials, params=params
        )

    async def update_session(
        self,
        session_id: int,
        *,
        title: str | None = None,
        script_id: int | Unchanged | None = UNCHANGED,
        context: Sequence[str] | None = None,
        append_context: Sequence[str] | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> WorkSession:
        """Change only what is given (PATCH): ``script_id=None`` unlinks the script, ``context``
        replaces the list, then ``append_context`` is added to its end; a script linked anew
        must be live. Writers only, never retried; ``NotFound`` for another user's session."""
        body = SessionPatchRequest(
            title=title,
            script_id=None if script_id is UNCHANGED else script_id,
            context=None if context is None else list(context),
            append_context=None if append_context is None else list(append_context),
            comment=comment,
        )
        given = {"title": title, "context": context, "append_context": append_context}
        sent = {name for name, value in given.items() if value is not None} | {"comment"}
        if script_id is not UNCHANGED:
            sent.add("script_id")
        return await self._call(
            "PATCH",
            f"{SESSIONS_PATH}/{int(session_id)}",
            model=WorkSession,
            credentials=credentials,
            json=body.model_dump(mode="json", by_alias=True, include=sent),
            idempotent=False,
        )

    # --- contexts -----------------------------------------------------------------------------

    async def get_context(
        self, target_type: ElementType, target_id: int, *, credentials: Mapping[str, str]
    ) -> Context:
        """A story element's context (empty, revision 0, if never written)."""
        return await self._call(
            "GET", _context_path(target_type, target_id), model=Context, credentials=credentials
        )

    async def put_context(
        self,
        target_type: ElementType,
        target_id: int,
        values: Mapping[str, Any],
        *,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Context:
        """Set the keys of ``values`` (a ``None`` value deletes its key; keys left out stay)
        of a live story element's context; each change is kept in the history. Writers only."""
        body = ContextUpdateRequest(values=dict(values), comment=comment)
        return await self._call(
            "PUT",
            _context_path(target_type, target_id),
            model=Context,
            credentials=credentials,
            json=body.model_dump(mode="json", by_alias=True),
        )

    async def contexts_of_script(
        self,
        script_id: int,
        *,
        key: str | None = None,
        value: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        credentials: Mapping[str, str],
    ) -> list[Context]:
        """Every non-empty context of a script's elements (its own included), by target type
        then id: those that have ``key``, and with ``value`` those whose ``key`` is exactly that
        string. Empty for a script without any (the script is not checked)."""
        contexts: list[Context] = []
        filters = _params(scriptId=int(script_id), key=key, value=value)
        while True:
            page = await self._call(
                "GET",
                CONTEXTS_PATH,
                model=Page[Context],
                credentials=credentials,
                params={**filters, "limit": page_size, "offset": len(contexts)},
            )
            contexts.extend(page.items)
            if not page.items or len(contexts) >= page.total_count:
                return contexts

    async def context_history(
        self,
        target_type: ElementType,
        target_id: int,
        *,
        key: str | None = None,
        limit: int = 50,
        offset: int = 0,
        credentials: Mapping[str, str],
    ) -> Page[ContextChange]:
        """One page of a context's changes, newest first (only ``key``'s, if given)."""
        return await self._call(
            "GET",
            f"{_context_path(target_type, target_id)}/history",
            model=Page[ContextChange],
            credentials=credentials,
            params=_params(key=key, limit=limit, offset=offset),
        )
