"""Transitions and markup: placed kinds whose script and sections live in this service."""

from __future__ import annotations

from typing import TypeVar

from fountainai.core.story import ElementRead, ElementWriter, PlacedService, PlacedState
from fountainai.services.scripts.elements.rules import check_section_of_script, existing_script
from fountainai.services.scripts.models import Placed
from fountainai.services.scripts.scripts.repository import ScriptRepository
from fountainai.services.scripts.sections.repository import SectionRepository

RowT = TypeVar("RowT", bound=Placed)
StateT = TypeVar("StateT", bound=PlacedState)
ReadT = TypeVar("ReadT", bound=ElementRead)


class LocalPlacedService(PlacedService[RowT, StateT, ReadT]):
    """Checks the script and section in this service's own tables."""

    def __init__(self, writer: ElementWriter, *, actor: str) -> None:
        super().__init__(writer, actor=actor)
        self.sections = SectionRepository(writer.session)
        self.scripts = ScriptRepository(writer.session)
        # Section id -> script id, of sections already checked or prepared in this request (a
        # batch fills it): such a section is checked here rather than in the database.
        self.known_sections: dict[int, int] = {}

    async def check_script(self, script_id: int) -> None:
        await existing_script(self.scripts, script_id)

    async def check(self, state: StateT, *, script_id: int, current: RowT | None) -> None:
        wanted = state.section_id
        unchanged = current is not None and wanted == current.section_id
        if wanted is None or unchanged or self.known_sections.get(wanted) == script_id:
            return
        await check_section_of_script(self.sections, wanted, script_id, field="sectionId")
