"""Deleting elements: each keeps a last version, leaves its script's order, and leaves search."""

from __future__ import annotations

from collections.abc import Sequence

from fountainai.core.elements import ElementType
from fountainai.services.scripts.elements.representation import (
    as_json,
    section_state,
    transition_state,
)
from fountainai.services.scripts.elements.writer import Change, ElementWriter
from fountainai.services.scripts.models import Section, Transition
from fountainai.services.scripts.sections.repository import SectionRepository
from fountainai.services.scripts.transitions.repository import TransitionRepository


class Remover:
    def __init__(self, writer: ElementWriter) -> None:
        self.writer = writer
        self.sections = SectionRepository(writer.session)
        self.transitions = TransitionRepository(writer.session)

    async def remove_transitions(self, transitions: Sequence[Transition], *, comment: str) -> None:
        for transition in transitions:
            change = Change(
                ElementType.TRANSITION,
                transition.id,
                transition.script_id,
                as_json(transition_state(transition)),
            )
            await self.writer.snapshot(change, comment=comment)
            await self.transitions.delete(transition)
            await self.writer.removed(ElementType.TRANSITION, change.element_id, comment=comment)

    async def remove_sections(self, sections: Sequence[Section], *, comment: str) -> None:
        """Deletes ``sections`` in the order given: children must come before their parents."""
        for section in sections:
            change = Change(
                ElementType.SECTION,
                section.id,
                section.script_id,
                as_json(section_state(section)),
            )
            await self.writer.snapshot(change, comment=comment)
            await self.sections.delete(section)
            await self.writer.removed(ElementType.SECTION, change.element_id, comment=comment)
