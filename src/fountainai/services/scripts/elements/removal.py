"""Deleting elements: each keeps a last version, leaves its script's order, and leaves search."""

from __future__ import annotations

from collections.abc import Sequence

from fountainai.core.elements import ElementType
from fountainai.core.story.writer import ElementWriter
from fountainai.services.scripts.elements.representation import Row, change_of


class Remover:
    def __init__(self, writer: ElementWriter) -> None:
        self.writer = writer

    async def remove(self, rows: Sequence[tuple[ElementType, Row]], *, comment: str) -> None:
        """Deletes ``rows`` in the order given: children must come before their parents."""
        for element_type, row in rows:
            change = change_of(element_type, row)
            await self.writer.snapshot(change, comment=comment)
            await self.writer.session.delete(row)
            await self.writer.session.flush()
            await self.writer.removed(element_type, change.element_id, comment=comment)
