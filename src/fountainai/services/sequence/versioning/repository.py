from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, delete, func, select

from fountainai.core.db import Repository, utcnow
from fountainai.core.db.upsert import dialect_insert
from fountainai.services.sequence.models import ElementVersion, VersionHead

_heads = cast("Table", VersionHead.__table__)


class VersionRepository(Repository):
    async def next_number(self, element_type: str, element_id: int) -> int:
        """Atomically claim the element's next version number (row-locked upsert)."""
        upsert = (
            dialect_insert(self.dialect, _heads)
            .values(element_type=element_type, element_id=element_id, latest=1)
            .on_conflict_do_update(
                index_elements=[_heads.c.element_type, _heads.c.element_id],
                set_={"latest": _heads.c.latest + 1},
            )
            .returning(_heads.c.latest)
        )
        number: int = (await self.session.execute(upsert)).scalar_one()
        return number

    async def add(
        self,
        *,
        element_type: str,
        element_id: int,
        script_id: int | None,
        version_number: int,
        data: dict[str, Any],
        comment: str,
    ) -> ElementVersion:
        version = ElementVersion(
            element_type=element_type,
            element_id=element_id,
            script_id=script_id,
            version_number=version_number,
            data=data,
            comment=comment,
            created_at=utcnow(),
        )
        self.session.add(version)
        await self.session.flush()
        return version

    async def get(self, element_type: str, element_id: int, number: int) -> ElementVersion | None:
        return await self.session.scalar(
            select(ElementVersion).where(
                ElementVersion.element_type == element_type,
                ElementVersion.element_id == element_id,
                ElementVersion.version_number == number,
            )
        )

    async def page(
        self, element_type: str, element_id: int, *, limit: int, offset: int
    ) -> tuple[list[ElementVersion], int]:
        condition = (ElementVersion.element_type == element_type) & (
            ElementVersion.element_id == element_id
        )
        total: int = (
            await self.session.execute(select(func.count(ElementVersion.id)).where(condition))
        ).scalar_one()
        rows = await self.session.scalars(
            select(ElementVersion)
            .where(condition)
            .order_by(ElementVersion.version_number.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(rows), total

    async def purge(
        self, element_type: str, element_id: int, *, keep_latest: int
    ) -> tuple[int, int]:
        """Delete all but the newest ``keep_latest`` versions; (deleted, remaining).

        Numbers are never reused: the version head keeps counting, so a later snapshot of the
        element gets the next number, not a purged one.
        """
        condition = (ElementVersion.element_type == element_type) & (
            ElementVersion.element_id == element_id
        )
        kept = (
            select(ElementVersion.version_number)
            .where(condition)
            .order_by(ElementVersion.version_number.desc())
            .limit(keep_latest)
        )
        kept_numbers = list(await self.session.scalars(kept)) if keep_latest else []
        statement = delete(ElementVersion).where(
            condition, ElementVersion.version_number.not_in(kept_numbers)
        )
        result = await self.session.execute(statement)
        deleted: int = result.rowcount  # type: ignore[attr-defined]
        return deleted, len(kept_numbers)
