"""Every query of a discard: what one script holds here, and deleting exactly that."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select

from fountainai.core.db import Repository
from fountainai.services.characters.models import Action, Character, Paraphrase, SpokenWord

Model = type[Character] | type[Action] | type[SpokenWord] | type[Paraphrase]
# Children before what they name: lines and actions point at characters.
DELETE_ORDER: tuple[Model, ...] = (Paraphrase, SpokenWord, Action, Character)


class DiscardRepository(Repository):
    async def count(self, model: Model, script_id: int) -> int:
        query = select(func.count()).select_from(model).where(model.script_id == script_id)
        total: int = (await self.session.execute(query)).scalar_one()
        return total

    async def delete_all(self, model: Model, script_id: int) -> Sequence[int]:
        """Delete the script's rows of ``model``; the ids deleted, oldest first."""
        statement = (
            delete(model)
            .where(model.script_id == script_id)
            .returning(model.id)
            .execution_options(synchronize_session=False)
        )
        deleted = (await self.session.execute(statement)).scalars().all()
        return sorted(deleted)
