"""Creating many elements of one kind in one script: every item checked and inserted in one
transaction, then all numbered with one batch call to Central Sequence (a failure there rolls the
whole batch back)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from fountainai.core import ApiInput, ApiModel, Conflict, UnprocessableEntity
from fountainai.core.elements import ElementType
from fountainai.core.story import (
    ElementRead,
    ScriptElementColumns,
    placed_read,
    refusal_of_item,
    search_document,
)
from fountainai.services.characters.batch.schemas import BatchCreate, LineBatchItem
from fountainai.services.characters.lines.schemas import LineRead, LineState
from fountainai.services.characters.models import SpokenWord
from fountainai.services.characters.placement import ElementService

RowT = TypeVar("RowT", bound=ScriptElementColumns)
StateT = TypeVar("StateT", bound=ApiModel)
ReadT = TypeVar("ReadT", bound=ElementRead)


class BatchService(Generic[RowT, StateT, ReadT]):
    """A batch of one kind, added one by one with that kind's own checks."""

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
        rows: list[RowT] = []
        for index, item in enumerate(items):
            try:
                rows.append(await self.add(script_id, item))
            except (UnprocessableEntity, Conflict) as refused:
                raise refusal_of_item(refused, index) from None
        created: list[tuple[ElementType, int, dict[str, Any]]] = []
        for row in rows:
            element_type = self.kind.element_type(row)
            document = search_document(element_type, self._read(row, None))
            created.append((element_type, row.id, document))
        numbers = await self.kind.writer.created_many(
            script_id, created, position=body.position, comment=body.comment
        )
        return [self._read(row, number) for row, number in zip(rows, numbers, strict=True)]

    async def add(self, script_id: int, item: ApiInput) -> RowT:
        """Insert one checked item (not yet numbered)."""
        return await self.kind.add(script_id, item)

    def _read(self, row: RowT, number: int | None) -> ReadT:
        return placed_read(self.kind.read_type, row, number)


class LineBatchService(BatchService[SpokenWord, LineState, LineRead]):
    """Lines sharing a ``speechKey`` join the speech the first of them starts."""

    def __init__(
        self, kind: ElementService[SpokenWord, LineState, LineRead], *, max_batch_size: int
    ) -> None:
        super().__init__(kind, max_batch_size=max_batch_size)
        self.speeches: dict[str, int] = {}

    async def add(self, script_id: int, item: ApiInput) -> SpokenWord:
        key = item.speech_key if isinstance(item, LineBatchItem) else None
        if key is not None and key in self.speeches:
            item = item.model_copy(update={"speech_id": self.speeches[key]})
        line = await super().add(script_id, item)
        if key is not None and line.speech_id is not None:
            self.speeches.setdefault(key, line.speech_id)
        return line
