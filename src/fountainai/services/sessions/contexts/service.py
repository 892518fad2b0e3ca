"""Context rules: a write names a live story element, merges keys (null deletes) and records each
real change once."""

from __future__ import annotations

import json
from typing import Any

from fountainai.core import UnprocessableEntity
from fountainai.core.db import Transactions, utcnow
from fountainai.core.elements import ElementType
from fountainai.services.sessions.contexts.repository import ContextRepository
from fountainai.services.sessions.contexts.schemas import ContextRead, ContextUpdate
from fountainai.services.sessions.models import ContextChange, TargetContext
from fountainai.services.sessions.references import StoryReferences
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
    """Each operation in a short transaction of its own. A write names a live story element: it
    is checked at Central Sequence first, with no transaction open (on SQLite: no write lock held
    meanwhile), so a refused target or an outage writes nothing. Reads need no check, so a
    deleted element's context and history stay readable."""

    def __init__(
        self,
        transactions: Transactions,
        *,
        references: StoryReferences | None = None,
        actor: str = "",
        max_bytes: int = 10_240,
    ) -> None:
        self.transactions = transactions
        self.references = references
        self.actor = actor
        self.max_bytes = max_bytes

    async def get(self, target_type: ElementType, target_id: int) -> ContextRead:
        async with self.transactions() as session:
            row = await ContextRepository(session).get(target_type, target_id)
            return context_read(target_type, target_id, row)

    async def history(
        self,
        target_type: ElementType,
        target_id: int,
        *,
        key: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[ContextChange], int]:
        async with self.transactions() as session:
            return await ContextRepository(session).history(
                target_type, target_id, key=key, limit=limit, offset=offset
            )

    async def of_script(
        self, script_id: int, *, key: str | None, value: str | None, limit: int, offset: int
    ) -> tuple[list[ContextRead], int]:
        """A page of the script's non-empty contexts (no script check: none is an empty page)."""
        if value is not None and key is None:
            raise UnprocessableEntity(
                "`value` filters on a key's value: give `key` too", extra={"field": "value"}
            )
        async with self.transactions() as session:
            rows, total = await ContextRepository(session).of_script(
                script_id, key=key, value=value, limit=limit, offset=offset
            )
            contexts = [
                context_read(ElementType(row.target_type), row.target_id, row) for row in rows
            ]
            return contexts, total

    async def put(
        self, target_type: ElementType, target_id: int, body: ContextUpdate
    ) -> ContextRead:
        """Apply ``body``; a write that changes nothing keeps the revision and the history."""
        script_id = await self._require_target(target_type, target_id)
        async with self.transactions() as session:
            return await self._apply(
                ContextRepository(session), target_type, target_id, body, script_id=script_id
            )

    async def _require_target(self, target_type: ElementType, target_id: int) -> int:
        """The live target's script; refused if Central Sequence does not number it."""
        if self.references is None:
            raise RuntimeError("writing a context needs StoryReferences")
        script_id = await self.references.script_of(target_type, target_id)
        if script_id is None:
            raise UnprocessableEntity(
                f"{target_type.value} {target_id} is not a story element (unknown, or deleted)",
                extra={"field": "targetId", "targetType": target_type.value, "targetId": target_id},
            )
        return script_id

    async def _apply(
        self,
        repo: ContextRepository,
        target_type: ElementType,
        target_id: int,
        body: ContextUpdate,
        *,
        script_id: int,
    ) -> ContextRead:
        row = await repo.lock(target_type, target_id, script_id=script_id)
        # Kept even when no value changes, so such a write files a row from before scripts were
        # kept under its script.
        row.script_id = script_id
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
        await repo.add_changes(
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
