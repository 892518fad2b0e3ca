"""Every query on sections."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from fountainai.core.db import Repository
from fountainai.services.scripts.models import Section


class SectionRepository(Repository):
    async def get(self, section_id: int, *, for_update: bool = False) -> Section | None:
        query = select(Section).where(Section.id == section_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add(self, section: Section) -> Section:
        self.session.add(section)
        await self.session.flush()
        return section

    async def in_script(
        self, script_id: int, *, kind: str | None = None, parent_id: int | None = None
    ) -> Sequence[Section]:
        query = select(Section).where(Section.script_id == script_id)
        if kind is not None:
            query = query.where(Section.kind == kind)
        if parent_id is not None:
            query = query.where(Section.parent_id == parent_id)
        return (await self.session.execute(query.order_by(Section.id))).scalars().all()

    async def ids_in_script(self, script_id: int) -> list[int]:
        query = select(Section.id).where(Section.script_id == script_id).order_by(Section.id)
        return list((await self.session.execute(query)).scalars().all())

    async def parents_in_script(self, script_id: int) -> dict[int, int | None]:
        """Every section of the script and its parent: the tree, for cycle checks and subtrees."""
        rows = await self.session.execute(
            select(Section.id, Section.parent_id).where(Section.script_id == script_id)
        )
        return dict(rows.all())

    async def many(self, section_ids: Sequence[int]) -> list[Section]:
        """The sections, in the order of ``section_ids``."""
        if not section_ids:
            return []
        query = select(Section).where(Section.id.in_(section_ids))
        found = {s.id: s for s in (await self.session.execute(query)).scalars()}
        return [found[section_id] for section_id in section_ids if section_id in found]
