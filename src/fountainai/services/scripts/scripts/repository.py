"""Every query on scripts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute

from fountainai.core.db import Repository
from fountainai.services.scripts.models import Script, Section
from fountainai.services.scripts.scripts.schemas import ScriptSort

_ORDER = {
    ScriptSort.CREATED_AT: (Script.created_at.asc(), Script.id.asc()),
    ScriptSort.CREATED_AT_DESC: (Script.created_at.desc(), Script.id.desc()),
    ScriptSort.UPDATED_AT: (Script.updated_at.asc(), Script.id.asc()),
    ScriptSort.UPDATED_AT_DESC: (Script.updated_at.desc(), Script.id.desc()),
    ScriptSort.TITLE: (func.lower(Script.title).asc(), Script.id.asc()),
    ScriptSort.TITLE_DESC: (func.lower(Script.title).desc(), Script.id.desc()),
}


def contains_text(column: InstrumentedAttribute[str], text: str) -> ColumnElement[bool]:
    """Case-insensitive substring match; ``%`` and ``_`` in ``text`` match only themselves."""
    return func.lower(column).contains(text.lower(), autoescape=True)


class ScriptRepository(Repository):
    async def get(self, script_id: int, *, for_update: bool = False) -> Script | None:
        """The script; ``for_update`` locks its row (PostgreSQL) until the transaction ends."""
        query = select(Script).where(Script.id == script_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add(self, script: Script) -> Script:
        self.session.add(script)
        await self.session.flush()
        return script

    async def page(
        self,
        *,
        author: str | None,
        title: str | None,
        section_title: str | None,
        importing: bool | None = None,
        script_id: int | None = None,
        sort: ScriptSort,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Script], int]:
        query = select(Script)
        if script_id is not None:
            query = query.where(Script.id == script_id)
        if author is not None:
            query = query.where(func.lower(Script.author) == author.lower())
        if title is not None:
            query = query.where(contains_text(Script.title, title))
        if importing is not None:
            query = query.where(Script.importing == importing)
        if section_title is not None:
            query = query.where(
                exists().where(
                    Section.script_id == Script.id, contains_text(Section.title, section_title)
                )
            )
        total: int = (
            await self.session.execute(select(func.count()).select_from(query.subquery()))
        ).scalar_one()
        rows = await self.session.execute(query.order_by(*_ORDER[sort]).limit(limit).offset(offset))
        return rows.scalars().all(), total
