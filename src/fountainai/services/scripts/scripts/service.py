"""The rules of scripts: numbered on create, versioned before every change, deleted with care."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from fountainai.core import Conflict, NotFound, Page, PageParams, Unauthorized
from fountainai.core.db import utcnow
from fountainai.core.elements import ElementType
from fountainai.core.story import ElementWriter, search_document
from fountainai.services.scripts.elements.contents import placed_in_script
from fountainai.services.scripts.elements.removal import Remover
from fountainai.services.scripts.elements.representation import (
    change_of,
    script_read,
    script_state,
)
from fountainai.services.scripts.markup.schemas import MarkupKind
from fountainai.services.scripts.models import Script
from fountainai.services.scripts.scripts.repository import ScriptRepository
from fountainai.services.scripts.scripts.schemas import (
    ScriptCreate,
    ScriptRead,
    ScriptSort,
    ScriptState,
)
from fountainai.services.scripts.sections.repository import SectionRepository

SCRIPT = ElementType.SCRIPT
SECTION = ElementType.SECTION
# The element types this service owns (a script, its sections, transitions and markup).
OWN_TYPES = frozenset(
    {SCRIPT, SECTION, ElementType.TRANSITION, *(kind.element_type for kind in MarkupKind)}
)
# Concurrent number look-ups for one page of scripts (each script has its own order).
_LOOKUPS = 8


class ScriptService:
    def __init__(self, writer: ElementWriter, *, actor: str) -> None:
        self.writer = writer
        self.actor = actor
        self.repo = ScriptRepository(writer.session)

    async def create(self, body: ScriptCreate) -> ScriptRead:
        script = await self.repo.add(
            Script(
                title=body.title,
                author=body.author,
                description=body.description,
                title_page=[entry.model_dump() for entry in body.title_page],
                importing=body.importing,
                created_by=self.actor,
            )
        )
        document = search_document(SCRIPT, script_read(script, None))
        number = await self.writer.created(
            SCRIPT, script.id, script_id=None, document=document, comment=body.comment
        )
        return script_read(script, number)

    async def read(self, script_id: int) -> ScriptRead:
        script = await self._get(script_id)
        return script_read(script, await self.writer.number_of(SCRIPT, script.id))

    async def page(
        self,
        params: PageParams,
        *,
        author: str | None,
        title: str | None,
        section_title: str | None,
        sort: ScriptSort,
        importing: bool | None = None,
        containing: Mapping[ElementType, int] | None = None,
    ) -> Page[ScriptRead]:
        """A page of scripts matching every filter; ``containing`` names elements of other
        services (a character, an action) whose script it must be."""
        script_ids = {await self._script_of(kind, id_) for kind, id_ in (containing or {}).items()}
        if None in script_ids or len(script_ids) > 1:
            return params.page([], 0)
        scripts, total = await self.repo.page(
            author=author,
            title=title,
            section_title=section_title,
            importing=importing,
            script_id=next(iter(script_ids), None),
            sort=sort,
            limit=params.limit,
            offset=params.offset,
        )
        limit = asyncio.Semaphore(_LOOKUPS)

        async def number(script: Script) -> int | None:
            async with limit:
                return await self.writer.number_of(SCRIPT, script.id)

        numbers = await asyncio.gather(*(number(script) for script in scripts))
        reads = [script_read(s, n) for s, n in zip(scripts, numbers, strict=True)]
        return params.page(reads, total)

    async def _script_of(self, element_type: ElementType, element_id: int) -> int | None:
        """The script an element is numbered in (Central Sequence knows every live element)."""
        try:
            placed = await self.writer.sequence.get_number(
                element_type, element_id, credentials=self.writer.credentials
            )
        except NotFound:
            return None
        return placed.script_id

    async def update(
        self, script_id: int, changes: Mapping[str, Any], *, comment: str
    ) -> ScriptRead:
        """Change the state; ``importing`` (not part of it, never versioned) may only be
        cleared: the schema refuses ``true``."""
        state_changes = {name: value for name, value in changes.items() if name != "importing"}
        script = await self._get(script_id, for_update=True)
        await self._snapshot(script, comment=comment)
        state = ScriptState.model_validate({**script_state(script).model_dump(), **state_changes})
        if changes.get("importing") is False:
            script.importing = False
        return await self._apply(script, state)

    async def restore(self, script_id: int, version: int, *, comment: str) -> ScriptRead:
        """Put back version ``version``; a deleted script is re-created under its old id (its
        elements each come back by their own restore)."""
        script = await self.repo.get(script_id, for_update=True)
        kept = await self.writer.version(SCRIPT, script_id, version)
        try:
            state = ScriptState.model_validate(kept.data)
        except ValidationError:
            raise Conflict(f"version {version} of script {script_id} is not a script") from None
        if script is None:
            return await self._recreate(
                script_id, state, comment or f"restored from version {version}"
            )
        await self._snapshot(script, comment=comment or f"before restoring version {version}")
        return await self._apply(script, state)

    async def delete(
        self,
        script_id: int,
        *,
        cascade: bool,
        limit: int,
        comment: str,
        missing_step_up: Unauthorized | None,
    ) -> None:
        """Deletes the script; everything in it too with ``cascade``, else 409.

        ``missing_step_up`` is the refusal for a caller without a recent second factor (None:
        they have one); an unfinished import needs none, a finished script does.
        """
        script = await self._get(script_id, for_update=True)
        if missing_step_up is not None and not script.importing:
            raise missing_step_up
        sections = SectionRepository(self.writer.session)
        placed = await placed_in_script(self.writer.session, script_id)
        parents = await sections.parents_in_script(script_id)
        if (parents or placed) and not cascade:
            raise Conflict(
                f"script {script_id} still has {len(parents)} sections and {len(placed)} "
                "other elements; delete them first or pass cascade=true"
            )
        if len(parents) + len(placed) > limit:
            raise Conflict(f"more than {limit} elements to delete in one request")
        await self._refuse_if_others_own_elements(script_id)
        doomed = [(SECTION, s) for s in await sections.many(_leaves_first(parents))]
        await Remover(self.writer).remove(
            [*placed, *doomed, (SCRIPT, script)],
            comment=comment,
            keep_versions=not script.importing,
        )

    async def _refuse_if_others_own_elements(self, script_id: int) -> None:
        """409 while Central Sequence still orders elements of other services (characters,
        actions, lines) in the script: deleting it would orphan them."""
        foreign = [
            kind for kind, _ in await self.writer.numbers_in(script_id) if kind not in OWN_TYPES
        ]
        if foreign:
            kinds = ", ".join(sorted({kind.value for kind in foreign}))
            raise Conflict(
                f"script {script_id} still has {len(foreign)} elements other services own "
                f"({kinds}); delete them there first"
            )

    async def _recreate(self, script_id: int, state: ScriptState, comment: str) -> ScriptRead:
        script = Script(id=script_id, created_by=self.actor)
        _assign(script, state)
        self.writer.session.add(script)
        try:
            await self.writer.session.flush()
        except IntegrityError:
            raise Conflict(f"script {script_id} was restored meanwhile") from None
        number = await self.writer.created(
            SCRIPT,
            script_id,
            script_id=None,
            document=search_document(SCRIPT, script_read(script, None)),
            comment=comment,
        )
        return script_read(script, number)

    async def _apply(self, script: Script, state: ScriptState) -> ScriptRead:
        _assign(script, state)
        script.updated_at = utcnow()
        await self.writer.session.flush()
        read = script_read(script, await self.writer.number_of(SCRIPT, script.id))
        await self.writer.changed(SCRIPT, script.id, search_document(SCRIPT, read))
        return read

    async def _snapshot(self, script: Script, *, comment: str) -> None:
        await self.writer.snapshot(change_of(SCRIPT, script), comment=comment)

    async def _get(self, script_id: int, *, for_update: bool = False) -> Script:
        script = await self.repo.get(script_id, for_update=for_update)
        if script is None:
            raise NotFound(f"script {script_id} does not exist")
        return script


def _leaves_first(parents: dict[int, int | None]) -> list[int]:
    """Every section id, each after all of the sections below it."""
    depth: dict[int, int] = {}

    def depth_of(section_id: int) -> int:
        seen = 0
        current = parents.get(section_id)
        while current is not None and seen <= len(parents):
            seen += 1
            current = parents.get(current)
        return seen

    for section_id in parents:
        depth[section_id] = depth_of(section_id)
    return sorted(parents, key=lambda section_id: (-depth[section_id], section_id))


def _assign(script: Script, state: ScriptState) -> None:
    script.title = state.title
    script.author = state.author
    script.description = state.description
    script.title_page = [entry.model_dump() for entry in state.title_page]
