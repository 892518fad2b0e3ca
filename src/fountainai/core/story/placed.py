"""Elements placed in a script and maybe one of its sections (transitions, markup, actions,
spoken words, ...): the one code path every such kind shares.

``PlacedService`` checks an element against its script (and section), numbers it on create,
versions it before every change, restores any kept version (also of a deleted element, which
comes back under its old id at the end of the order, or at ``position``) and removes it from the
order on delete. A kind says which table it lives in, its wire shapes, its element type(s), and
how its script and references are checked (locally, or over HTTP for another service's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import ValidationError
from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import ApiModel, Conflict, NotFound, UnprocessableEntity
from fountainai.core.clients import Version
from fountainai.core.db import Repository, utcnow
from fountainai.core.elements import ElementType
from fountainai.core.story.rows import (
    PlacedColumns,
    ScriptElementColumns,
    as_json,
    placed_read,
    search_document,
)
from fountainai.core.story.schemas import ElementRead
from fountainai.core.story.writer import Change, ElementWriter

RowT = TypeVar("RowT", bound=ScriptElementColumns)
StateT = TypeVar("StateT", bound=ApiModel)
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
            query = query.where(self._section_column == section_id)
        return (await self.session.execute(query.order_by(self.model.id))).scalars().all()

    @property
    def _section_column(self) -> Any:
        if not issubclass(self.model, PlacedColumns):
            raise TypeError(f"{self.model.__name__} is not placed in sections")
        return self.model.section_id

    async def in_sections(self, section_ids: Sequence[int]) -> Sequence[RowT]:
        if not section_ids:
            return []
        query = select(self.model).where(self._section_column.in_(section_ids))
        return (await self.session.execute(query.order_by(self.model.id))).scalars().all()


class PlacedService(Generic[RowT, StateT, ReadT]):
    """Create, read, list, update, restore and delete one kind of element of a script."""

    noun: ClassVar[str]
    model: type[RowT]
    state_type: type[StateT]
    read_type: type[ReadT]
    # The element types a row of this kind can have at Central Sequence (markup has five).
    element_types: ClassVar[tuple[ElementType, ...]]

    def __init__(self, writer: ElementWriter, *, actor: str) -> None:
        self.writer = writer
        self.actor = actor
        self.repo = PlacedRepository(writer.session, self.model)

    def element_type(self, row: RowT) -> ElementType:
        return self.element_types[0]

    async def check_script(self, script_id: int) -> None:
        """``NotFound`` unless the script exists."""
        raise NotImplementedError

    async def check(self, state: StateT, *, script_id: int, current: RowT | None) -> None:
        """Refuses (422, or 409 for a clash) a state the element (``current``; None when new)
        may not take."""

    async def create(
        self, script_id: int, body: ApiModel, *, position: int | None, comment: str
    ) -> ReadT:
        await self.check_script(script_id)
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
        row = await self.prepare(script_id, body)
        try:
            return await self.repo.add(row)
        except IntegrityError:
            # A concurrent write took a unique value ``check`` saw free.
            raise Conflict(f"the {self.noun} clashes with one written meanwhile") from None

    async def prepare(
        self, script_id: int, body: ApiModel, *, element_id: int | None = None
    ) -> RowT:
        """A checked new row from the state fields of ``body``, not yet added to the session;
        a batch gives the id it reserved for it (``core.story.bulk``)."""
        state = self.state_type.model_validate(
            body.model_dump(include=set(self.state_type.model_fields))
        )
        await self.check(state, script_id=script_id, current=None)
        row = self._new_row(script_id, state)
        if element_id is not None:
            row.id = element_id
        return row

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
        await self.check_script(script_id)
        rows = await self.repo.in_script(script_id, section_id=section_id, where=where)
        return await self.in_reading_order(script_id, rows)

    async def in_reading_order(self, script_id: int, rows: Sequence[RowT]) -> list[ReadT]:
        numbers = await self.writer.numbers_in(script_id)
        reads = [self._read(r, numbers.get((self.element_type(r), r.id))) for r in rows]
        return sorted(reads, key=lambda r: (r.sequence_number is None, r.sequence_number, r.id))

    async def update(self, element_id: int, changes: Mapping[str, Any], *, comment: str) -> ReadT:
        row = await self._get(element_id, for_update=True)
        state = self.state_type.model_validate({**self._state(row).model_dump(), **changes})
        await self.check(state, script_id=row.script_id, current=row)
        await self.writer.snapshot(self.change_of(row), comment=comment)
        return await self._apply(row, state)

    async def restore(
        self, element_id: int, version: int, *, comment: str, position: int | None = None
    ) -> ReadT:
        """Put back version ``version``; a deleted element is re-created under its old id."""
        row = await self._get_or_none(element_id, for_update=True)
        if row is None:
            return await self._recreate(element_id, version, comment=comment, position=position)
        kept = await self.writer.version(self.element_type(row), element_id, version)
        state = self._kept_state(kept)
        await self.check(state, script_id=row.script_id, current=row)
        await self.writer.snapshot(
            self.change_of(row), comment=comment or f"before restoring version {version}"
        )
        return await self._apply(row, state)

    async def delete(self, element_id: int, *, comment: str) -> None:
        await self.remove(await self._get(element_id, for_update=True), comment=comment)

    async def remove(self, row: RowT, *, comment: str) -> None:
        """Delete a locked row: version it, drop it, take it out of the order (a kind adds its
        own refusals or what goes with it)."""
        await self.writer.snapshot(self.change_of(row), comment=comment)
        await self.writer.session.delete(row)
        await self.writer.session.flush()
        await self.writer.removed(self.element_type(row), row.id, comment=comment)

    def assign(self, row: RowT, state: StateT) -> None:
        """Set ``row``'s columns from ``state`` (a kind adds its derived columns)."""
        for name, value in state.model_dump(mode="json").items():
            setattr(row, name, value)

    def change_of(self, row: RowT) -> Change:
        """``row``'s current state, to keep as a version before it changes."""
        return Change(self.element_type(row), row.id, row.script_id, as_json(self._state(row)))

    async def _recreate(
        self, element_id: int, version: int, *, comment: str, position: int | None
    ) -> ReadT:
        kept = await self._deleted_version(element_id, version)
        state = self._kept_state(kept)
        script_id = kept.script_id
        if script_id is None:
            raise Conflict(f"version {version} of {self.noun} {element_id} names no script")
        try:
            await self.check_script(script_id)
            await self.check(state, script_id=script_id, current=None)
        except (NotFound, UnprocessableEntity) as refused:
            raise Conflict(
                f"{self.noun} {element_id} cannot come back as version {version} was: "
                f"{refused.detail}"
            ) from None
        row = self._new_row(script_id, state)
        row.id = element_id
        try:
            await self.repo.add(row)
        except IntegrityError:
            raise Conflict(f"{self.noun} {element_id} was restored meanwhile") from None
        element_type = self.element_type(row)
        number = await self.writer.created(
            element_type,
            row.id,
            script_id=script_id,
            document=search_document(element_type, self._read(row, None)),
            position=position,
            comment=comment or f"restored from version {version}",
        )
        return self._read(row, number)

    async def _deleted_version(self, element_id: int, version: int) -> Version:
        for element_type in self.element_types:
            try:
                return await self.writer.version(element_type, element_id, version)
            except NotFound:
                continue
        raise NotFound(f"{self.noun} {element_id} has no version {version}")

    def _kept_state(self, kept: Version) -> StateT:
        try:
            return self.state_type.model_validate(kept.data)
        except ValidationError:
            raise Conflict(
                f"version {kept.version_number} of {self.noun} {kept.element_id} "
                f"is not a {self.noun}"
            ) from None

    def _new_row(self, script_id: int, state: StateT) -> RowT:
        row = self.model()
        row.script_id = script_id
        row.created_by = self.actor
        self.assign(row, state)
        return row

    async def _apply(self, row: RowT, state: StateT) -> ReadT:
        self.assign(row, state)
        row.updated_at = utcnow()
        try:
            await self.writer.session.flush()
        except IntegrityError:
            raise Conflict(f"the {self.noun} clashes with one written meanwhile") from None
        element_type = self.element_type(row)
        read = self._read(row, await self.writer.number_of(element_type, row.id))
        await self.writer.changed(element_type, row.id, search_document(element_type, read))
        return read

    def _state(self, row: RowT) -> StateT:
        return self.state_type.model_validate(row, from_attributes=True)

    def _read(self, row: RowT, number: int | None) -> ReadT:
        return placed_read(self.read_type, row, number)

    async def _get(self, element_id: int, *, for_update: bool = False) -> RowT:
        row = await self._get_or_none(element_id, for_update=for_update)
        if row is None:
            raise NotFound(f"{self.noun} {element_id} does not exist")
        return row

    async def _get_or_none(self, element_id: int, *, for_update: bool) -> RowT | None:
        return await self.repo.get(element_id, for_update=for_update)
