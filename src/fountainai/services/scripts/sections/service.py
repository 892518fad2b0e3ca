"""The rules of sections: a tree within one script, numbered, versioned before every change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from fountainai.core import Conflict, NotFound, UnprocessableEntity
from fountainai.core.clients import Version
from fountainai.core.db import utcnow
from fountainai.core.elements import ElementType
from fountainai.core.story import ElementWriter, search_document
from fountainai.services.scripts.elements.contents import placed_in_sections
from fountainai.services.scripts.elements.removal import Remover
from fountainai.services.scripts.elements.representation import (
    change_of,
    section_read,
    section_state,
)
from fountainai.services.scripts.elements.rules import (
    check_heading,
    check_parent,
    existing_script,
    subtree,
)
from fountainai.services.scripts.models import Section
from fountainai.services.scripts.scripts.repository import ScriptRepository
from fountainai.services.scripts.sections.repository import SectionRepository
from fountainai.services.scripts.sections.schemas import (
    SectionCreate,
    SectionKind,
    SectionRead,
    SectionState,
)

SECTION = ElementType.SECTION


class SectionService:
    def __init__(self, writer: ElementWriter, *, actor: str) -> None:
        self.writer = writer
        self.actor = actor
        self.repo = SectionRepository(writer.session)
        self.scripts = ScriptRepository(writer.session)
        self.known_sections: dict[int, int] = {}

    async def create(self, script_id: int, body: SectionCreate) -> SectionRead:
        await existing_script(self.scripts, script_id)
        section = await self.add(script_id, body)
        document = search_document(SECTION, section_read(section, None))
        number = await self.writer.created(
            SECTION,
            section.id,
            script_id=script_id,
            document=document,
            position=body.position,
            comment=body.comment,
        )
        return section_read(section, number)

    async def add(self, script_id: int, body: SectionCreate) -> Section:
        """Insert a checked new section (not yet numbered)."""
        return await self.repo.add(await self.prepare(script_id, body))

    async def prepare(
        self, script_id: int, body: SectionCreate, *, element_id: int | None = None
    ) -> Section:
        """A checked new section, not yet added to the session; a batch gives the id it
        reserved for it. A parent in ``known_sections`` (section id -> script id, what a batch
        has read or prepared) is checked there, any other in the database."""
        check_heading(body.kind, body.heading)
        parent_id = body.parent_id
        if parent_id is not None and self.known_sections.get(parent_id) != script_id:
            await check_parent(self.repo, section_id=None, parent_id=parent_id, script_id=script_id)
        section = Section(
            script_id=script_id,
            parent_id=parent_id,
            kind=body.kind.value,
            title=body.title,
            heading=_heading_json(body.heading),
            created_by=self.actor,
        )
        if element_id is not None:
            section.id = element_id
            self.known_sections[element_id] = script_id
        return section

    async def read(self, section_id: int) -> SectionRead:
        section = await self._get(section_id)
        return section_read(section, await self.writer.number_of(SECTION, section.id))

    async def in_script(
        self, script_id: int, *, kind: SectionKind | None, parent_id: int | None
    ) -> list[SectionRead]:
        """The script's sections in reading order (unnumbered ones last)."""
        await existing_script(self.scripts, script_id)
        sections = await self.repo.in_script(
            script_id, kind=None if kind is None else kind.value, parent_id=parent_id
        )
        numbers = await self.writer.numbers_in(script_id)
        reads = [section_read(s, numbers.get((SECTION, s.id))) for s in sections]
        return sorted(reads, key=_reading_order)

    async def ids_in(self, script_id: int) -> list[int]:
        """The ids of the script's sections, oldest first (``NotFound``: no such script)."""
        await existing_script(self.scripts, script_id)
        return await self.repo.ids_in_script(script_id)

    async def update(
        self, section_id: int, changes: Mapping[str, Any], *, comment: str
    ) -> SectionRead:
        section = await self._get(section_id, for_update=True)
        state = SectionState.model_validate({**section_state(section).model_dump(), **changes})
        await self._check(section, state)
        await self._snapshot(section, comment=comment)
        return await self._apply(section, state)

    async def restore(
        self, section_id: int, version: int, *, comment: str, position: int | None = None
    ) -> SectionRead:
        """Put back version ``version``; a deleted section is re-created under its old id."""
        section = await self.repo.get(section_id, for_update=True)
        kept = await self.writer.version(SECTION, section_id, version)
        state = _kept_state(kept)
        if section is None:
            return await self._recreate(kept, state, comment=comment, position=position)
        await self._check(section, state)
        await self._snapshot(section, comment=comment or f"before restoring version {version}")
        return await self._apply(section, state)

    async def delete(self, section_id: int, *, cascade: bool, limit: int, comment: str) -> None:
        """Deletes the section; with ``cascade`` everything in it too, else 409 if not empty."""
        section = await self._get(section_id, for_update=True)
        doomed = subtree(await self.repo.parents_in_script(section.script_id), section_id)
        placed = await placed_in_sections(self.writer.session, doomed)
        if (len(doomed) > 1 or placed) and not cascade:
            raise Conflict(
                f"section {section_id} contains {len(doomed) - 1} sections and "
                f"{len(placed)} other elements; pass cascade=true to delete them too"
            )
        if len(doomed) + len(placed) > limit:
            raise Conflict(f"more than {limit} elements to delete in one request")
        sections = [(SECTION, s) for s in await self.repo.many(doomed)]
        await Remover(self.writer).remove([*placed, *sections], comment=comment)

    async def _recreate(
        self, kept: Version, state: SectionState, *, comment: str, position: int | None
    ) -> SectionRead:
        script_id = kept.script_id
        try:
            if script_id is None:
                raise NotFound("the version names no script")
            await existing_script(self.scripts, script_id)
            check_heading(state.kind, state.heading)
            if state.parent_id is not None:
                await check_parent(
                    self.repo, section_id=None, parent_id=state.parent_id, script_id=script_id
                )
        except (NotFound, UnprocessableEntity) as refused:
            raise Conflict(
                f"section {kept.element_id} cannot come back as version "
                f"{kept.version_number} was: {refused.detail}"
            ) from None
        section = Section(id=kept.element_id, script_id=script_id, created_by=self.actor)
        _assign(section, state)
        try:
            await self.repo.add(section)
        except IntegrityError:
            raise Conflict(f"section {kept.element_id} was restored meanwhile") from None
        number = await self.writer.created(
            SECTION,
            section.id,
            script_id=script_id,
            document=search_document(SECTION, section_read(section, None)),
            position=position,
            comment=comment or f"restored from version {kept.version_number}",
        )
        return section_read(section, number)

    async def _check(self, section: Section, state: SectionState) -> None:
        check_heading(state.kind, state.heading)
        if state.parent_id is not None and state.parent_id != section.parent_id:
            await check_parent(
                self.repo,
                section_id=section.id,
                parent_id=state.parent_id,
                script_id=section.script_id,
            )

    async def _apply(self, section: Section, state: SectionState) -> SectionRead:
        _assign(section, state)
        section.updated_at = utcnow()
        await self.writer.session.flush()
        read = section_read(section, await self.writer.number_of(SECTION, section.id))
        await self.writer.changed(SECTION, section.id, search_document(SECTION, read))
        return read

    async def _snapshot(self, section: Section, *, comment: str) -> None:
        await self.writer.snapshot(change_of(SECTION, section), comment=comment)

    async def _get(self, section_id: int, *, for_update: bool = False) -> Section:
        section = await self.repo.get(section_id, for_update=for_update)
        if section is None:
            raise NotFound(f"section {section_id} does not exist")
        return section


def _kept_state(kept: Version) -> SectionState:
    try:
        return SectionState.model_validate(kept.data)
    except ValidationError:
        raise Conflict(
            f"version {kept.version_number} of section {kept.element_id} is not a section"
        ) from None


def _assign(section: Section, state: SectionState) -> None:
    section.kind = state.kind.value
    section.title = state.title
    section.parent_id = state.parent_id
    section.heading = _heading_json(state.heading)


def _heading_json(heading: Any) -> dict[str, Any] | None:
    return None if heading is None else heading.model_dump(mode="json", by_alias=True)


def _reading_order(read: Any) -> tuple[bool, int, int]:
    number = read.sequence_number
    return (number is None, number or 0, read.id)
