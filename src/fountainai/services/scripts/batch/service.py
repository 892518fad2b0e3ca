"""Creating many elements of one script (sections, transitions, markup) in one transaction,
numbered at once."""

from __future__ import annotations

from typing import Any

from fountainai.core import AppError, UnprocessableEntity
from fountainai.core.elements import ElementType
from fountainai.core.story import ElementWriter, refusal_of_item, search_document
from fountainai.services.scripts.batch.schemas import (
    BatchCreate,
    BatchCreated,
    BatchMarkup,
    BatchResult,
    BatchSection,
    BatchTransition,
)
from fountainai.services.scripts.elements.representation import (
    markup_read,
    section_read,
    transition_read,
)
from fountainai.services.scripts.elements.rules import existing_script
from fountainai.services.scripts.markup.schemas import MarkupCreate, MarkupKind
from fountainai.services.scripts.markup.service import MarkupService
from fountainai.services.scripts.scripts.repository import ScriptRepository
from fountainai.services.scripts.sections.schemas import SectionCreate
from fountainai.services.scripts.sections.service import SectionService
from fountainai.services.scripts.transitions.schemas import TransitionCreate
from fountainai.services.scripts.transitions.service import TransitionService

TRANSITION = ElementType.TRANSITION


class BatchService:
    def __init__(self, writer: ElementWriter, *, actor: str, max_batch_size: int) -> None:
        self.writer = writer
        self.sections = SectionService(writer, actor=actor)
        self.transitions = TransitionService(writer, actor=actor)
        self.markup = MarkupService(writer, actor=actor)
        self.scripts = ScriptRepository(writer.session)
        self.max_batch_size = max_batch_size

    async def create(self, script_id: int, body: BatchCreate) -> BatchResult:
        if len(body.elements) > self.max_batch_size:
            raise UnprocessableEntity(f"at most {self.max_batch_size} elements per batch")
        await existing_script(self.scripts, script_id)
        sections_by_ref: dict[str, int] = {}
        created: list[tuple[ElementType, int, dict[str, Any]]] = []
        for index, element in enumerate(body.elements):
            try:
                kind, element_id, document = await self._add(script_id, element, sections_by_ref)
            except AppError as refused:
                raise refusal_of_item(refused, index, field="elements") from None
            if element.ref is not None:
                if element.ref in sections_by_ref or any(
                    e.ref == element.ref for e in body.elements[:index]
                ):
                    raise UnprocessableEntity(
                        f"elements[{index}]: ref {element.ref!r} repeats", extra={"item": index}
                    )
                if kind is ElementType.SECTION:
                    sections_by_ref[element.ref] = element_id
            created.append((kind, element_id, document))
        numbers = await self.writer.created_many(
            script_id, created, position=body.position, comment=body.comment
        )
        return BatchResult(
            script_id=script_id,
            elements=[
                BatchCreated(
                    element_type=kind, element_id=element_id, sequence_number=number, ref=e.ref
                )
                for (kind, element_id, _), number, e in zip(
                    created, numbers, body.elements, strict=True
                )
            ],
            comment=body.comment,
        )

    async def _add(
        self,
        script_id: int,
        element: BatchSection | BatchTransition | BatchMarkup,
        sections_by_ref: dict[str, int],
    ) -> tuple[ElementType, int, dict[str, Any]]:
        if isinstance(element, BatchSection):
            section = await self.sections.add(
                script_id,
                SectionCreate(
                    kind=element.kind,
                    title=element.title,
                    parent_id=_resolve(element.parent_ref, sections_by_ref, element.parent_id),
                    heading=element.heading,
                ),
            )
            read = section_read(section, None)
            return ElementType.SECTION, section.id, search_document(ElementType.SECTION, read)
        section_id = _resolve(element.section_ref, sections_by_ref, element.section_id)
        if isinstance(element, BatchTransition):
            transition = await self.transitions.add(
                script_id,
                TransitionCreate(text=element.text, forced=element.forced, section_id=section_id),
            )
            document = search_document(TRANSITION, transition_read(transition, None))
            return TRANSITION, transition.id, document
        kind = MarkupKind(element.element_type)
        markup = await self.markup.add(
            script_id, MarkupCreate(kind=kind, text=element.text, section_id=section_id)
        )
        document = search_document(kind.element_type, markup_read(markup, None))
        return kind.element_type, markup.id, document


def _resolve(ref: str | None, sections_by_ref: dict[str, int], given: int | None) -> int | None:
    if ref is None:
        return given
    if ref not in sections_by_ref:
        raise UnprocessableEntity(f"ref {ref!r} names no section earlier in this batch")
    return sections_by_ref[ref]
