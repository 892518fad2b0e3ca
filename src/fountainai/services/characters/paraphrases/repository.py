"""Every query on the paraphrases table."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select

from fountainai.core.db import Repository
from fountainai.core.elements import ElementType
from fountainai.services.characters.models import Action, Character, Paraphrase, SpokenWord

# The kinds of this service whose paraphrases have their own listing (``/lines/{id}/...``).
LOCAL_KINDS: dict[ElementType, type[Character] | type[Action] | type[SpokenWord]] = {
    ElementType.CHARACTER: Character,
    ElementType.ACTION: Action,
    ElementType.SPOKEN_WORD: SpokenWord,
}


class ParaphraseRepository(Repository):
    async def get(self, paraphrase_id: int, *, for_update: bool = False) -> Paraphrase | None:
        query = select(Paraphrase).where(Paraphrase.id == paraphrase_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add(self, paraphrase: Paraphrase) -> Paraphrase:
        self.session.add(paraphrase)
        await self.session.flush()
        return paraphrase

    async def remove(self, paraphrase: Paraphrase) -> None:
        await self.session.delete(paraphrase)
        await self.session.flush()

    async def page(
        self, where: Sequence[ColumnElement[bool]], *, limit: int, offset: int
    ) -> tuple[Sequence[Paraphrase], int]:
        """One page of the paraphrases matching ``where``, oldest first, and how many match."""
        total_query = select(func.count()).select_from(Paraphrase).where(*where)
        total: int = (await self.session.execute(total_query)).scalar_one()
        query = select(Paraphrase).where(*where).order_by(Paraphrase.id).limit(limit).offset(offset)
        return (await self.session.execute(query)).scalars().all(), total

    async def ids_of(self, element_type: ElementType, element_id: int) -> Sequence[int]:
        """The paraphrases of one element, oldest first."""
        query = select(Paraphrase.id).where(*of_element(element_type, element_id))
        return (await self.session.execute(query.order_by(Paraphrase.id))).scalars().all()

    async def exists(self, element_type: ElementType, element_id: int) -> bool:
        """Whether this service keeps that character, action or line."""
        model = LOCAL_KINDS[element_type]
        query = select(model.id).where(model.id == element_id)
        return (await self.session.execute(query)).first() is not None


def of_element(element_type: ElementType, element_id: int) -> list[ColumnElement[bool]]:
    return [Paraphrase.element_type == element_type.value, Paraphrase.element_id == element_id]


def of_script(script_id: int) -> list[ColumnElement[bool]]:
    return [Paraphrase.script_id == script_id]
