"""Elements placed in a script and optionally in one of its sections: transitions and markup.

``PlacedService`` holds what every such kind does the same way: checked against its script (and
section), numbered on create, versioned before every change, restorable, removed from the order
on delete. A kind says which table it lives in, its wire shapes, and its element type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import ValidationError
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import ApiModel, Conflict, NotFound
from fountainai.core.db import Repository, utcnow
from fountainai.core.elements import ElementType
from fountainai.services.scripts.elements.removal import Remover
from fountainai.services.scripts.elements.representation import (
    change_of,
    placed_read,
    search_document,
)
from fountainai.services.scripts.elements.rules import check_section_of_script, existing_script
from fountainai.services.scripts.elements.schemas import ElementRead, PlacedState
from fountainai.services.scripts.elements.writer import ElementWriter
from fountainai.services.scripts.models import Placed
from fountainai.services.scripts.scripts.repository import ScriptRepository
from fountainai.services.scripts.sections.repository import SectionRepository

RowT = TypeVar("RowT", bound=Placed)
StateT = TypeVar("StateT", bound=PlacedState)
ReadT = TypeVar("ReadT", bound=ElementRead)


class PlacedRepository(Repository, Generic[RowT]):
    """Every query on one placed kind's table."""

    def __init__(self, session: AsyncSession, model: type[RowT]) -> None:
        super().__init__(session)
        self.model = model

    async def get(self, element_id: int, *, for_update: bool = False) -> RowT | None:
        query = select(self.model).where(self.model.id == element_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add(self, row: RowT) -> RowT:
        self.session.add(row)
        await self.session.flush()
        return row

    async def in_script(
        self,
        script_id: int,
        *,
        section_id: int | None = None,
        where: Sequence[ColumnElement[bool]] = (),
    ) -> Sequence[RowT]:
        """The script's elements (of one section, and matching ``where``), oldest first."""
        query = select(self.model).where(self.model.script_id == script_id, *where)
        if section_id is not None:
            query = query.where(self.model.section_id == section_id)
        return (await self.session.execute(query.order_by(self.model.id))).scalars().all()

    async def in_sections(self, section_ids: Sequence[int]) -> Sequence[RowT]:
        if not section_ids:
            return []
        query = select(self.model).where(self.model.section_id.in_(section_ids))
        return (await self.session.execute(query.order_by(self.model.id))).scalars().all()


class PlacedService(Generic[RowT, StateT, ReadT]):
    """Create, read, list, update, restore and delete one placed kind."""

    noun: ClassVar[str]
    model: type[RowT]
    state_type: type[StateT]
    read_type: type[ReadT]

    def __init__(self, writer: ElementWriter, *, actor: str) -> None:
        self.writer = writer
        self.actor = actor
        self.repo = PlacedRepository(writer.session, self.model)
        self.sections = SectionRepository(writer.session)
        self.scripts = ScriptRepository(writer.session)

    def element_type(self, row: RowT) -> ElementType:
        raise NotImplementedError

    async def check(self, state: StateT, *, script_id: int, current: RowT | None) -> None:
        """Refuses (422) a state the element (``current``; None when new) may not take."""
        section_id = None if current is None else current.section_id
        if state.section_id is not None and state.section_id != section_id:
            await check_section_of_script(
                self.sections, state.section_id, script_id, field="sectionId"
            )

    async def create(
        self, script_id: int, body: ApiModel, *, position: int | None, comment: str
    ) -> ReadT:
        await existing_script(self.scripts, script_id)
        row = await self.add(script_id, body)
        element_type = self.element_type(row)
        number = await self.writer.created(
            element_type,
            row.id,
            script_id=script_id,
            document=search_document(element_type, self._read(row, None)),
            position=position,
            comment=comment,
        )
        return self._read(row, number)

    async def add(self, script_id: int, body: ApiModel) -> RowT:
        """Insert a checked new element from the state fields of ``body`` (not yet numbered)."""
        state = self.state_type.model_validate(
            body.model_dump(include=set(self.state_type.model_fields))
        )
        await self.check(state, script_id=script_id, current=None)
        row = self.model()
        row.script_id = script_id
        row.created_by = self.actor
        _assign(row, state)
        return await self.repo.add(row)

    async def read(self, element_id: int) -> ReadT:
        row = await self._get(element_id)
        return self._read(row, await self.writer.number_of(self.element_type(row), row.id))

    async def in_script(
        self,
        script_id: int,
        *,
        section_id: int | None,
        where: Sequence[ColumnElement[bool]] = (),
    ) -> list[ReadT]:
        """The script's elements of this kind in reading order (unnumbered ones last); one
        reading-order call to Central Sequence, whatever their number."""
        await existing_script(self.scripts, script_id)
        rows = await self.repo.in_script(script_id, section_id=section_id, where=where)
        numbers = await self.writer.numbers_in(script_id)
        reads = [self._read(r, numbers.get((self.element_type(r), r.id))) for r in rows]
        return sorted(reads, key=lambda r: (r.sequence_number is None, r.sequence_number, r.id))

    async def update(self, element_id: int, changes: Mapping[str, Any], *, comment: str) -> ReadT:
        row = await self._get(element_id, for_update=True)
        state = self.state_type.model_validate({**self._state(row).model_dump(), **changes})
        await self.check(state, script_id=row.script_id, current=row)
        await self.writer.snapshot(change_of(self.element_type(row), row), comment=comment)
        return await self._apply(row, state)

    async def restore(self, element_id: int, version: int, *, comment: str) -> ReadT:
        row = await self._get(element_id, for_update=True)
        kept = await self.writer.version(self.element_type(row), element_id, version)
        try:
            state = self.state_type.model_validate(kept.data)
        except ValidationError:
            raise Conflict(
                f"version {version} of {self.noun} {element_id} is not a {self.noun}"
            ) from None
        await self.check(state, script_id=row.script_id, current=row)
        await self.writer.snapshot(
            change_of(self.element_type(row), row),
            comment=comment or f"before restoring version {version}",
        )
        return await self._apply(row, state)

    async def delete(self, element_id: int, *, comment: str) -> None:
        row = await self._get(element_id, for_update=True)
        await Remover(self.writer).remove([(self.element_type(row), row)], comment=comment)

    async def _apply(self, row: RowT, state: StateT) -> ReadT:
        _assign(row, state)
        row.updated_at = utcnow()
        await self.writer.session.flush()
        element_type = self.element_type(row)
        read = self._read(row, await self.writer.number_of(element_type, row.id))
        await self.writer.changed(element_type, row.id, search_document(element_type, read))
        return read

    def _state(self, row: RowT) -> StateT:
        return self.state_type.model_validate(row, from_attributes=True)

    def _read(self, row: RowT, number: int | None) -> ReadT:
        return placed_read(self.read_type, row, number)

    async def _get(self, element_id: int, *, for_update: bool = False) -> RowT:
        row = await self.repo.get(element_id, for_update=for_update)
        if row is None:
            raise NotFound(f"{self.noun} {element_id} does not exist")
        return row


def _assign(row: Placed, state: PlacedState) -> None:
    for name, value in state.model_dump(mode="json").items():
        setattr(row, name, value)
