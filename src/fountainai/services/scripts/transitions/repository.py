"""Every query on transitions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from fountainai.core.db import Repository
from fountainai.services.scripts.models import Transition


class TransitionRepository(Repository):
    async def get(self, transition_id: int, *, for_update: bool = False) -> Transition | None:
        query = select(Transition).where(Transition.id == transition_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add(self, transition: Transition) -> Transition:
        self.session.add(transition)
        await self.session.flush()
        return transition

    async def in_script(
        self, script_id: int, *, section_id: int | None = None
    ) -> Sequence[Transition]:
        query = select(Transition).where(Transition.script_id == script_id)
        if section_id is not None:
            query = query.where(Transition.section_id == section_id)
        return (await self.session.execute(query.order_by(Transition.id))).scalars().all()

    async def in_sections(self, section_ids: Sequence[int]) -> Sequence[Transition]:
        if not section_ids:
            return []
        query = (
            select(Transition).where(Transition.section_id.in_(section_ids)).order_by(Transition.id)
        )
        return (await self.session.execute(query)).scalars().all()

    async def delete(self, transition: Transition) -> None:
        await self.session.delete(transition)
        await self.session.flush()
