"""The import ledger: one row per import, each change in its own short transaction (an import
calls other services in between, so it never holds a transaction while it waits)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fountainai.core import Conflict, NotFound
from fountainai.core.db import Transactions, utcnow
from fountainai.services.story.imports.plan import PlanWarning
from fountainai.services.story.models import StoryImport

RUNNING = "running"
COMPLETED = "completed"
ROLLED_BACK = "rolled_back"
ROLLBACK_PENDING = "rollback_pending"


class ImportLedger:
    def __init__(self, transactions: Transactions) -> None:
        self.transactions = transactions

    async def start(
        self,
        *,
        import_id: str | None,
        created_by: str,
        source_format: str,
        filename: str,
        source_bytes: int,
        elements_total: int,
    ) -> str:
        """A new running import; ``import_id`` chosen by the client (to follow its progress
        while it runs) must be new: 409 otherwise."""
        import_id = import_id or uuid.uuid4().hex
        taken = Conflict(f"import {import_id} already exists: choose another importId")
        try:
            async with self.transactions() as session:
                if await session.get(StoryImport, import_id) is not None:
                    raise taken
                session.add(
                    StoryImport(
                        id=import_id,
                        status=RUNNING,
                        source_format=source_format,
                        filename=filename[:255],
                        source_bytes=source_bytes,
                        created_by=created_by,
                        elements_total=elements_total,
                    )
                )
        except IntegrityError:
            raise taken from None
        return import_id

    async def update(self, import_id: str, **changes: Any) -> StoryImport:
        async with self.transactions() as session:
            row = await session.get(StoryImport, import_id, with_for_update=True)
            if row is None:
                raise NotFound(f"import {import_id} does not exist")
            for name, value in changes.items():
                setattr(row, name, value)
            row.updated_at = utcnow()
            return row

    async def get(self, import_id: str) -> StoryImport | None:
        async with self.transactions() as session:
            return await session.get(StoryImport, import_id)

    async def of_user(self, created_by: str, *, limit: int, offset: int) -> list[StoryImport]:
        async with self.transactions() as session:
            rows = await session.scalars(
                select(StoryImport)
                .where(StoryImport.created_by == created_by)
                .order_by(StoryImport.created_at.desc(), StoryImport.id)
                .limit(limit)
                .offset(offset)
            )
            return list(rows)


def warnings_json(warnings: list[PlanWarning]) -> list[dict[str, Any]]:
    return [asdict(warning) for warning in warnings]
