"""What a section or script contains besides sections: every placed element, of every kind."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.elements import ElementType
from fountainai.core.story import PlacedRepository
from fountainai.services.scripts.markup.schemas import MarkupKind
from fountainai.services.scripts.models import Markup, Placed, Transition

Contained = list[tuple[ElementType, Placed]]


async def placed_in_sections(session: AsyncSession, section_ids: Sequence[int]) -> Contained:
    """The transitions and markup in any of the sections."""
    transitions = await PlacedRepository(session, Transition).in_sections(section_ids)
    markup = await PlacedRepository(session, Markup).in_sections(section_ids)
    return _typed(transitions, markup)


async def placed_in_script(session: AsyncSession, script_id: int) -> Contained:
    """The script's transitions and markup, in a section or not."""
    transitions = await PlacedRepository(session, Transition).in_script(script_id)
    markup = await PlacedRepository(session, Markup).in_script(script_id)
    return _typed(transitions, markup)


def _typed(transitions: Sequence[Transition], markup: Sequence[Markup]) -> Contained:
    contained: Contained = [(ElementType.TRANSITION, t) for t in transitions]
    contained.extend((MarkupKind(m.kind).element_type, m) for m in markup)
    return contained
