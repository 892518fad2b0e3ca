"""The rules of actions: in one script (and maybe a section), maybe about one of its characters."""

from __future__ import annotations

from fountainai.core.elements import ElementType
from fountainai.services.characters.actions.schemas import ActionRead, ActionState
from fountainai.services.characters.listing import Filters
from fountainai.services.characters.models import Action
from fountainai.services.characters.placement import ElementService


class ActionService(ElementService[Action, ActionState, ActionRead]):
    noun = "action"
    model = Action
    state_type = ActionState
    read_type = ActionRead
    element_types = (ElementType.ACTION,)

    async def matching(self, filters: Filters) -> list[ActionRead]:
        """The actions ``filters`` select, in reading order."""
        script_id = await filters.resolve_script(self)
        rows = await self.repo.in_script(
            script_id, section_id=filters.section_id, where=filters.where(Action)
        )
        return await self.in_reading_order(script_id, rows)
