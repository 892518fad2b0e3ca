"""Creating many elements of one kind in one script: every item checked, all inserted with one
statement in one transaction, then all numbered with one batch call to Central Sequence (a
failure there rolls the whole batch back)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import ApiInput, ApiModel, Conflict, UnprocessableEntity
from fountainai.core.elements import ElementType
from fountainai.core.story import (
    ElementRead,
    ScriptElementColumns,
    placed_read,
    refusal_of_item,
    search_document,
)
from fountainai.core.story.bulk import insert_all, reserve_ids
from fountainai.services.characters.batch.schemas import BatchCreate, LineBatchItem
from fountainai.services.characters.lines.schemas import LineRead, LineState
from fountainai.services.characters.models import Character, SpokenWord
from fountainai.services.characters.placement import ElementService

RowT = TypeVar("RowT", bound=ScriptElementColumns)
StateT = TypeVar("StateT", bound=ApiModel)
ReadT = TypeVar("ReadT", bound=ElementRead)


class BatchService(Generic[RowT, StateT, ReadT]):
    """A batch of one kind, each item checked with that kind's own rules, then inserted all at
    once: a fixed number of statements whatever the batch's length (``core.story.bulk``)."""

    def __init__(self, kind: ElementService[RowT, StateT, ReadT], *, max_batch_size: int) -> None:
        self.kind = kind
        self.max_batch_size = max_batch_size

    async def create(self, body: BatchCreate[Any]) -> list[ReadT]:
        """The created elements in item order, each with its sequence number."""
        items: list[ApiInput] = body.items
        if len(items) > self.max_batch_size:
            raise UnprocessableEntity(
                f"at most {self.max_batch_size} items per batch", extra={"field": "items"}
            )
        script_id = body.script_id
        await self.kind.script_in_body(script_id)
        if any(getattr(item, "section_id", None) is not None for item in items):
            await self.kind.refs.load_sections(script_id)
        session = self.kind.writer.session
        # The script's characters, loaded once: checking each item's is then a look-up in the
        # session's identity map (held here: the map only keeps rows someone references).
        characters = await _characters_of(session, script_id, items)
        ids = await reserve_ids(session, self.kind.model, len(items))
        rows: list[RowT] = []
        for index, (item, element_id) in enumerate(zip(items, ids, strict=True)):
            try:
                rows.append(await self.prepare(script_id, item, element_id))
            except (UnprocessableEntity, Conflict) as refused:
                raise refusal_of_item(refused, index) from None
        await insert_all(session, rows, noun=self.kind.noun)
        del characters
        reads = [self._read(row, None) for row in rows]
        created: list[tuple[ElementType, int, dict[str, Any]]] = []
        for row, read in zip(rows, reads, strict=True):
            element_type = self.kind.element_type(row)
            created.append((element_type, row.id, search_document(element_type, read)))
        numbers = await self.kind.writer.created_many(
            script_id, created, position=body.position, comment=body.comment
        )
        for read, number in zip(reads, numbers, strict=True):
            read.sequence_number = number
        return reads

    async def prepare(self, script_id: int, item: ApiInput, element_id: int) -> RowT:
        """One checked item as a new row with the id reserved for it (not inserted yet)."""
        return await self.kind.prepare(script_id, item, element_id=element_id)

    def _read(self, row: RowT, number: int | None) -> ReadT:
        return placed_read(self.kind.read_type, row, number)


class LineBatchService(BatchService[SpokenWord, LineState, LineRead]):
    """Lines sharing a ``speechKey`` join the speech the first of them starts."""

    def __init__(
        self, kind: ElementService[SpokenWord, LineState, LineRead], *, max_batch_size: int
    ) -> None:
        super().__init__(kind, max_batch_size=max_batch_size)
        self.speeches: dict[str, int] = {}

    async def prepare(self, script_id: int, item: ApiInput, element_id: int) -> SpokenWord:
        key = item.speech_key if isinstance(item, LineBatchItem) else None
        if key is not None and key in self.speeches:
            item = item.model_copy(update={"speech_id": self.speeches[key]})
        line = await super().prepare(script_id, item, element_id)
        if key is not None and line.speech_id is not None:
            self.speeches.setdefault(key, line.speech_id)
        return line


async def _characters_of(
    session: AsyncSession, script_id: int, items: list[ApiInput]
) -> list[Character]:
    if all(getattr(item, "character_id", None) is None for item in items):
        return []
    query = select(Character).where(Character.script_id == script_id)
    return list((await session.execute(query)).scalars().all())
