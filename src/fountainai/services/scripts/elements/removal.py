"""Deleting elements: each keeps a last version, leaves its script's order, and leaves search."""

from __future__ import annotations

from collections.abc import Sequence

from fountainai.core.elements import ElementType
from fountainai.core.story.writer import Change, ElementWriter, Key
from fountainai.services.scripts.elements.representation import Row, change_of


class Remover:
    def __init__(self, writer: ElementWriter) -> None:
        self.writer = writer
        self.keep_versions = True

    async def remove(
        self,
        rows: Sequence[tuple[ElementType, Row]],
        *,
        comment: str,
        keep_versions: bool = True,
    ) -> None:
        """Deletes ``rows`` in the order given: children must come before their parents.

        Every row is snapshotted (unless ``keep_versions`` is off: an unfinished import being
        discarded, which nobody can have worked on) and deleted locally first; then one batch
        call per script takes them all out of Central Sequence's order at once (a cascade is
        one script). If that fails, the request rolls the rows back and no number was removed.
        """
        self.keep_versions = keep_versions
        if len(rows) == 1:
            element_type, row = rows[0]
            change = await self._delete(element_type, row, comment=comment)
            await self.writer.removed(element_type, change.element_id, comment=comment)
            return
        by_script: dict[int, list[Key]] = {}
        for element_type, row in rows:
            change = await self._delete(element_type, row, comment=comment)
            by_script.setdefault(change.script_id, []).append((element_type, change.element_id))
        for script_id, refs in by_script.items():
            await self.writer.removed_many(script_id, refs, comment=comment)

    async def _delete(self, element_type: ElementType, row: Row, *, comment: str) -> Change:
        change = change_of(element_type, row)
        if self.keep_versions:
            await self.writer.snapshot(change, comment=comment)
        await self.writer.session.delete(row)
        await self.writer.session.flush()
        return change
