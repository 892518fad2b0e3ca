"""The rules of paraphrases: each rewords one live numbered element (of any service, checked at
Central Sequence, which also says its script); kept as a version before every change, restorable
(a deleted one comes back under its id while its element still exists), queued for search.

A paraphrase is not in the reading order, so it is never numbered itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError

from fountainai.core import ApiModel, Conflict, NotFound, Page, PageParams, UnprocessableEntity
from fountainai.core.clients import Version
from fountainai.core.db import utcnow
from fountainai.core.elements import ElementType
from fountainai.core.story import Change, ElementWriter, as_json, search_document
from fountainai.services.characters.models import Paraphrase
from fountainai.services.characters.paraphrases.repository import (
    ParaphraseRepository,
    of_element,
    of_script,
)
from fountainai.services.characters.paraphrases.schemas import (
    ParaphraseCreate,
    ParaphraseRead,
    ParaphraseState,
    ParaphraseWording,
)

KIND = ElementType.PARAPHRASE
StateT = TypeVar("StateT", bound=ApiModel)


@dataclass(frozen=True)
class ParaphraseFilters:
    """``listParaphrases``: one element's paraphrases, or one script's (or both at once)."""

    element_type: ElementType | None = None
    element_id: int | None = None
    script_id: int | None = None

    def where(self) -> list[ColumnElement[bool]]:
        if (self.element_type is None) != (self.element_id is None):
            missing = "elementId" if self.element_id is None else "elementType"
            raise UnprocessableEntity(
                "give elementType and elementId together", extra={"field": missing}
            )
        conditions: list[ColumnElement[bool]] = []
        if self.element_type is not None and self.element_id is not None:
            conditions += of_element(self.element_type, self.element_id)
        if self.script_id is not None:
            conditions += of_script(self.script_id)
        if not conditions:
            raise UnprocessableEntity(
                "give elementType and elementId, or scriptId", extra={"field": "scriptId"}
            )
        return conditions


class ParaphraseService:
    def __init__(self, writer: ElementWriter, *, actor: str) -> None:
        self.writer = writer
        self.actor = actor
        self.repo = ParaphraseRepository(writer.session)

    async def create(self, body: ParaphraseCreate) -> ParaphraseRead:
        script_id = await self._script_of_target(body.element_type, body.element_id)
        paraphrase = Paraphrase(
            script_id=script_id,
            created_by=self.actor,
            element_type=body.element_type.value,
            element_id=body.element_id,
            text=body.text,
            commentary=body.commentary,
        )
        await self.repo.add(paraphrase)
        return await self._queued(paraphrase)

    async def read(self, paraphrase_id: int) -> ParaphraseRead:
        return _read(await self._get(paraphrase_id))

    async def matching(self, filters: ParaphraseFilters, page: PageParams) -> Page[ParaphraseRead]:
        """The paraphrases ``filters`` select, oldest first."""
        rows, total = await self.repo.page(filters.where(), limit=page.limit, offset=page.offset)
        return page.page([_read(row) for row in rows], total)

    async def of_local_element(
        self, element_type: ElementType, element_id: int, page: PageParams
    ) -> Page[ParaphraseRead]:
        """The paraphrases of a character, action or line of this service (404 if it is gone)."""
        if not await self.repo.exists(element_type, element_id):
            noun = "line" if element_type is ElementType.SPOKEN_WORD else element_type.value
            raise NotFound(f"{noun} {element_id} does not exist")
        return await self.matching(ParaphraseFilters(element_type, element_id), page)

    async def update(
        self, paraphrase_id: int, changes: Mapping[str, Any], *, comment: str
    ) -> ParaphraseRead:
        paraphrase = await self._get(paraphrase_id, for_update=True)
        wording = _state(paraphrase).model_copy(update=dict(changes))
        await self.writer.snapshot(_change(paraphrase), comment=comment)
        return await self._reworded(paraphrase, wording)

    async def restore(self, paraphrase_id: int, version: int, *, comment: str) -> ParaphraseRead:
        """Put back the wording of version ``version``; a deleted paraphrase comes back whole
        under its old id, as long as the element it rewords still exists (else 409)."""
        paraphrase = await self.repo.get(paraphrase_id, for_update=True)
        kept = await self._version(paraphrase_id, version)
        if paraphrase is None:
            return await self._recreate(kept)
        wording = _kept(ParaphraseWording, kept)
        await self.writer.snapshot(
            _change(paraphrase), comment=comment or f"before restoring version {version}"
        )
        return await self._reworded(paraphrase, wording)

    async def delete(self, paraphrase_id: int, *, comment: str) -> None:
        paraphrase = await self._get(paraphrase_id, for_update=True)
        await self.writer.snapshot(_change(paraphrase), comment=comment)
        await self.repo.remove(paraphrase)
        # No ``writer.removed``: a paraphrase has no number to take out of the order.
        await self.writer.outbox.add(KIND, paraphrase_id, operation="delete")

    async def delete_of(self, element_type: ElementType, element_id: int, *, comment: str) -> None:
        """Delete (each versioned first) the paraphrases of an element being deleted."""
        for paraphrase_id in await self.repo.ids_of(element_type, element_id):
            await self.delete(paraphrase_id, comment=comment or f"its {element_type.value} left")

    async def _recreate(self, kept: Version) -> ParaphraseRead:
        state = _kept(ParaphraseState, kept)
        try:
            script_id = await self._script_of_target(state.element_type, state.element_id)
        except UnprocessableEntity as refused:
            raise Conflict(
                f"paraphrase {kept.element_id} cannot come back as version "
                f"{kept.version_number} was: {refused.detail}"
            ) from None
        paraphrase = Paraphrase(
            id=kept.element_id,
            script_id=script_id,
            created_by=self.actor,
            element_type=state.element_type.value,
            element_id=state.element_id,
            text=state.text,
            commentary=state.commentary,
        )
        try:
            await self.repo.add(paraphrase)
        except IntegrityError:
            raise Conflict(f"paraphrase {kept.element_id} was restored meanwhile") from None
        return await self._queued(paraphrase)

    async def _script_of_target(self, element_type: ElementType, element_id: int) -> int:
        """The script of the element a paraphrase rewords: every live element has a number at
        Central Sequence, whichever service keeps it (422 when it has none)."""
        if element_type is KIND:
            raise UnprocessableEntity(
                "a paraphrase rewords a story element, not another paraphrase",
                extra={"field": "elementType"},
            )
        try:
            placed = await self.writer.sequence.get_number(
                element_type, element_id, credentials=self.writer.credentials
            )
        except NotFound:
            raise UnprocessableEntity(
                f"there is no {element_type.value} {element_id} to paraphrase",
                extra={"field": "elementId"},
            ) from None
        return placed.script_id

    async def _version(self, paraphrase_id: int, version: int) -> Version:
        try:
            return await self.writer.version(KIND, paraphrase_id, version)
        except NotFound:
            raise NotFound(f"paraphrase {paraphrase_id} has no version {version}") from None

    async def _reworded(self, paraphrase: Paraphrase, wording: ParaphraseWording) -> ParaphraseRead:
        paraphrase.text = wording.text
        paraphrase.commentary = wording.commentary
        paraphrase.updated_at = utcnow()
        await self.writer.session.flush()
        return await self._queued(paraphrase)

    async def _queued(self, paraphrase: Paraphrase) -> ParaphraseRead:
        """``paraphrase`` as the API shows it, its search document queued in the outbox."""
        read = _read(paraphrase)
        await self.writer.changed(KIND, paraphrase.id, _search_document(read))
        return read

    async def _get(self, paraphrase_id: int, *, for_update: bool = False) -> Paraphrase:
        paraphrase = await self.repo.get(paraphrase_id, for_update=for_update)
        if paraphrase is None:
            raise NotFound(f"paraphrase {paraphrase_id} does not exist")
        return paraphrase


def _read(paraphrase: Paraphrase) -> ParaphraseRead:
    return ParaphraseRead.model_validate(paraphrase, from_attributes=True)


def _search_document(read: ParaphraseRead) -> dict[str, Any]:
    """The search document of a paraphrase: its kind is ``paraphrase``; its target's kind and id
    go under ``targetType``/``targetId``."""
    document = search_document(KIND, read)
    document.pop("elementId")
    return {**document, "targetType": read.element_type.value, "targetId": read.element_id}


def _state(paraphrase: Paraphrase) -> ParaphraseState:
    return ParaphraseState.model_validate(paraphrase, from_attributes=True)


def _change(paraphrase: Paraphrase) -> Change:
    """The paraphrase's current state, to keep as a version before it changes."""
    return Change(KIND, paraphrase.id, paraphrase.script_id, as_json(_state(paraphrase)))


def _kept(state_type: type[StateT], kept: Version) -> StateT:
    try:
        return state_type.model_validate(kept.data)
    except ValidationError:
        raise Conflict(
            f"version {kept.version_number} of paraphrase {kept.element_id} is not a paraphrase"
        ) from None
