"""The rules of markup: placed like transitions; a pageBreak has no text, the others must."""

from __future__ import annotations

from fountainai.core import Conflict, UnprocessableEntity
from fountainai.core.elements import ElementType
from fountainai.services.scripts.elements.placed import LocalPlacedService
from fountainai.services.scripts.markup.schemas import MarkupKind, MarkupRead, MarkupState
from fountainai.services.scripts.models import Markup


class MarkupService(LocalPlacedService[Markup, MarkupState, MarkupRead]):
    noun = "markup"
    model = Markup
    state_type = MarkupState
    read_type = MarkupRead
    element_types = tuple(kind.element_type for kind in MarkupKind)

    def element_type(self, row: Markup) -> ElementType:
        return MarkupKind(row.kind).element_type

    async def of_kind(
        self, script_id: int, *, kind: MarkupKind | None, section_id: int | None
    ) -> list[MarkupRead]:
        where = () if kind is None else (Markup.kind == kind.value,)
        return await self.in_script(script_id, section_id=section_id, where=where)

    async def check(self, state: MarkupState, *, script_id: int, current: Markup | None) -> None:
        if current is not None and state.kind.value != current.kind:
            # Versions are kept per (kind, id), so only a corrupt one could get here.
            raise Conflict(f"markup {current.id} is a {current.kind}, not a {state.kind.value}")
        if state.kind is MarkupKind.PAGE_BREAK and state.text:
            raise UnprocessableEntity("a pageBreak has no text", extra={"field": "text"})
        if state.kind is not MarkupKind.PAGE_BREAK and not state.text:
            raise UnprocessableEntity(f"a {state.kind.value} needs a text", extra={"field": "text"})
        await super().check(state, script_id=script_id, current=current)
