"""Creating many elements of one script (sections, transitions, markup) in one transaction,
inserted and numbered at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fountainai.core import AppError, UnprocessableEntity
from fountainai.core.elements import ElementType
from fountainai.core.story import ElementWriter, refusal_of_item, search_document
from fountainai.core.story.bulk import insert_all, reserve_ids
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
from fountainai.services.scripts.models import Markup, Section, Transition
from fountainai.services.scripts.scripts.repository import ScriptRepository
from fountainai.services.scripts.sections.schemas import SectionCreate
from fountainai.services.scripts.sections.service import SectionService
from fountainai.services.scripts.transitions.schemas import TransitionCreate
from fountainai.services.scripts.transitions.service import TransitionService

SECTION = ElementType.SECTION
TRANSITION = ElementType.TRANSITION


class BatchService:
    """Every element checked in item order (against the script's sections and those the batch
    makes), then all inserted at once: a fixed number of statements whatever the batch's length
    (``core.story.bulk``)."""

    def __init__(self, writer: ElementWriter, *, actor: str, max_batch_size: int) -> None:
        self.writer = writer
        self.sections = SectionService(writer, actor=actor)
        self.transitions = TransitionService(writer, actor=actor)
        self.markup = MarkupService(writer, actor=actor)
        self.scripts = ScriptRepository(writer.session)
        self.max_batch_size = max_batch_size
        # One map of the script's sections (id -> script id) shared by the three kinds' checks.
        known: dict[int, int] = {}
        self.sections.known_sections = known
        self.transitions.known_sections = known
        self.markup.known_sections = known

    async def create(self, script_id: int, body: BatchCreate) -> BatchResult:
        if len(body.elements) > self.max_batch_size:
            raise UnprocessableEntity(f"at most {self.max_batch_size} elements per batch")
        await existing_script(self.scripts, script_id)
        session = self.writer.session
        if any(_names_a_section(element) for element in body.elements):
            for section_id in await self.sections.repo.ids_in_script(script_id):
                self.sections.known_sections[section_id] = script_id
        ids = {
            model: iter(await reserve_ids(session, model, count))
            for model, count in _counts(body.elements).items()
        }
        sections_by_ref: dict[str, int] = {}
        rows: list[Section | Transition | Markup] = []
        for index, element in enumerate(body.elements):
            try:
                row = await self._prepare(script_id, element, ids, sections_by_ref)
            except AppError as refused:
                raise refusal_of_item(refused, index, field="elements") from None
            if element.ref is not None:
                if element.ref in sections_by_ref or any(
                    e.ref == element.ref for e in body.elements[:index]
                ):
                    raise UnprocessableEntity(
                        f"elements[{index}]: ref {element.ref!r} repeats", extra={"item": index}
                    )
                if isinstance(row, Section):
                    sections_by_ref[element.ref] = row.id
            rows.append(row)
        # Sections first: transitions and markup point at them.
        await insert_all(session, [row for row in rows if isinstance(row, Section)], noun="section")
        others = [row for row in rows if not isinstance(row, Section)]
        await insert_all(session, others, noun="element")
        created = [self._created(row) for row in rows]
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

    async def _prepare(
        self,
        script_id: int,
        element: BatchSection | BatchTransition | BatchMarkup,
        ids: dict[type[Any], Iterator[int]],
        sections_by_ref: dict[str, int],
    ) -> Section | Transition | Markup:
        """The checked new row of one element, with its reserved id (not inserted yet)."""
        if isinstance(element, BatchSection):
            create = SectionCreate(
                kind=element.kind,
                title=element.title,
                parent_id=_resolve(element.parent_ref, sections_by_ref, element.parent_id),
                heading=element.heading,
            )
            return await self.sections.prepare(script_id, create, element_id=next(ids[Section]))
        section_id = _resolve(element.section_ref, sections_by_ref, element.section_id)
        if isinstance(element, BatchTransition):
            transition = TransitionCreate(
                text=element.text, forced=element.forced, section_id=section_id
            )
            return await self.transitions.prepare(
                script_id, transition, element_id=next(ids[Transition])
            )
        markup = MarkupCreate(
            kind=MarkupKind(element.element_type), text=element.text, section_id=section_id
        )
        return await self.markup.prepare(script_id, markup, element_id=next(ids[Markup]))

    def _created(
        self, row: Section | Transition | Markup
    ) -> tuple[ElementType, int, dict[str, Any]]:
        """What numbering and search need of a new row: its type, id and search document."""
        if isinstance(row, Section):
            return SECTION, row.id, search_document(SECTION, section_read(row, None))
        if isinstance(row, Transition):
            document = search_document(TRANSITION, transition_read(row, None))
            return TRANSITION, row.id, document
        kind = MarkupKind(row.kind).element_type
        return kind, row.id, search_document(kind, markup_read(row, None))


def _counts(
    elements: list[BatchSection | BatchTransition | BatchMarkup],
) -> dict[type[Any], int]:
    """How many rows of each table the batch adds."""
    counts: dict[type[Any], int] = {Section: 0, Transition: 0, Markup: 0}
    for element in elements:
        if isinstance(element, BatchSection):
            counts[Section] += 1
        elif isinstance(element, BatchTransition):
            counts[Transition] += 1
        else:
            counts[Markup] += 1
    return counts


def _names_a_section(element: BatchSection | BatchTransition | BatchMarkup) -> bool:
    """Whether the element names an existing section by id (one the database must confirm)."""
    if isinstance(element, BatchSection):
        return element.parent_id is not None
    return element.section_id is not None


def _resolve(ref: str | None, sections_by_ref: dict[str, int], given: int | None) -> int | None:
    if ref is None:
        return given
    if ref not in sections_by_ref:
        raise UnprocessableEntity(f"ref {ref!r} names no section earlier in this batch")
    return sections_by_ref[ref]
