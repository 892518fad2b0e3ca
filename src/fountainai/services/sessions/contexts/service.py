"""Context rules: a write merges keys (null deletes) and records each real change once."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import UnprocessableEntity
from fountainai.core.db import utcnow
from fountainai.core.elements import ElementType
from fountainai.services.sessions.contexts.repository import ContextRepository
from fountainai.services.sessions.contexts.schemas import ContextRead, ContextUpdate
from fountainai.services.sessions.models import ContextChange, TargetContext
from fountainai.services.sessions.storable import json_size


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON (Python alone says ``1 == 1.0 == True``)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def context_read(
    target_type: ElementType, target_id: int, row: TargetContext | None
) -> ContextRead:
    """The answer for a target; one never written is empty, at revision 0."""
    if row is None:
        return ContextRead(
            target_type=target_type, target_id=target_id, values={}, revision=0, updated_at=None
        )
    return ContextRead(
        target_type=target_type,
        target_id=target_id,
        values=dict(sorted(row.state.items())),
        revision=row.revision,
        updated_at=row.updated_at,
    )


class ContextService:
    def __init__(self, session: AsyncSession, *, actor: str = "", max_bytes: int = 10_240) -> None:
        self.repo = ContextRepository(session)
        self.actor = actor
        self.max_bytes = max_bytes

    async def get(self, target_type: ElementType, target_id: int) -> ContextRead:
        return context_read(target_type, target_id, await self.repo.get(target_type, target_id))

    async def put(
        self, target_type: ElementType, target_id: int, body: ContextUpdate
    ) -> ContextRead:
        """Apply ``body``; a write that changes nothing keeps the revision and the history."""
        row = await self.repo.lock(target_type, target_id)
        state = dict(row.state)
        changed: list[tuple[str, Any, Any]] = []
        for key, value in body.values.items():
            old = state.get(key)
            if value is None:
                if key in state:
                    del state[key]
                    changed.append((key, old, None))
            elif key not in state or not _same(old, value):
                state[key] = value
                changed.append((key, old, value))
        if not changed:
            return context_read(target_type, target_id, row)
        size = json_size(state)
        if size > self.max_bytes:
            raise UnprocessableEntity(
                f"the context would take {size} bytes as JSON; at most {self.max_bytes} allowed"
            )
        now = utcnow()
        row.state = state  # a new dict, so the change is seen and written
        row.revision += 1
        row.updated_at = now
        await self.repo.add_changes(
            [
                ContextChange(
                    target_type=target_type,
                    target_id=target_id,
                    revision=row.revision,
                    key=key,
                    old_value=old,
                    new_value=new,
                    actor=self.actor,
                    comment=body.comment,
                    changed_at=now,
                )
                for key, old, new in changed
            ]
        )
        return context_read(target_type, target_id, row)
