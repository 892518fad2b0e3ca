"""The rules of transitions: in one script (and maybe one of its sections), numbered, versioned."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from fountainai.core import Conflict, NotFound
from fountainai.core.db import utcnow
from fountainai.core.elements import ElementType
from fountainai.services.scripts.elements.removal import Remover
from fountainai.services.scripts.elements.representation import (
    as_json,
    search_document,
    transition_read,
    transition_state,
)
from fountainai.services.scripts.elements.rules import check_section_of_script, existing_script
from fountainai.services.scripts.elements.writer import Change, ElementWriter
from fountainai.services.scripts.models import Transition
from fountainai.services.scripts.scripts.repository import ScriptRepository
from fountainai.services.scripts.sections.repository import SectionRepository
from fountainai.services.scripts.transitions.repository import TransitionRepository
from fountainai.services.scripts.transitions.schemas import (
    TransitionCreate,
    TransitionRead,
    TransitionState,
)

TRANSITION = ElementType.TRANSITION


class TransitionService:
    def __init__(self, writer: ElementWriter, *, actor: str) -> None:
        self.writer = writer
        self.actor = actor
        self.repo = TransitionRepository(writer.session)
        self.sections = SectionRepository(writer.session)
        self.scripts = ScriptRepository(writer.session)

    async def create(self, script_id: int, body: TransitionCreate) -> TransitionRead:
        await existing_script(self.scripts, script_id)
        transition = await self.add(script_id, body)
        document = search_document(TRANSITION, transition_read(transition, None))
        number = await self.writer.created(
            TRANSITION,
            transition.id,
            script_id=script_id,
            document=document,
            position=body.position,
            comment=body.comment,
        )
        return transition_read(transition, number)

    async def add(self, script_id: int, body: TransitionCreate) -> Transition:
        """Insert a checked new transition (not yet numbered)."""
        if body.section_id is not None:
            await check_section_of_script(
                self.sections, body.section_id, script_id, field="sectionId"
            )
        return await self.repo.add(
            Transition(
                script_id=script_id,
                section_id=body.section_id,
                text=body.text,
                forced=body.forced,
                created_by=self.actor,
            )
        )

    async def read(self, transition_id: int) -> TransitionRead:
        transition = await self._get(transition_id)
        number = await self.writer.number_of(TRANSITION, transition.id)
        return transition_read(transition, number)

    async def in_script(self, script_id: int, *, section_id: int | None) -> list[TransitionRead]:
        """The script's transitions in reading order (unnumbered ones last)."""
        await existing_script(self.scripts, script_id)
        transitions = await self.repo.in_script(script_id, section_id=section_id)
        numbers = await self.writer.numbers_in(script_id)
        reads = [transition_read(t, numbers.get((TRANSITION, t.id))) for t in transitions]
        return sorted(reads, key=lambda r: (r.sequence_number is None, r.sequence_number, r.id))

    async def update(
        self, transition_id: int, changes: Mapping[str, Any], *, comment: str
    ) -> TransitionRead:
        transition = await self._get(transition_id, for_update=True)
        state = TransitionState.model_validate(
            {**transition_state(transition).model_dump(), **changes}
        )
        await self._check(transition, state)
        await self._snapshot(transition, comment=comment)
        return await self._apply(transition, state)

    async def restore(self, transition_id: int, version: int, *, comment: str) -> TransitionRead:
        transition = await self._get(transition_id, for_update=True)
        kept = await self.writer.version(TRANSITION, transition_id, version)
        try:
            state = TransitionState.model_validate(kept.data)
        except ValidationError:
            raise Conflict(
                f"version {version} of transition {transition_id} is not a transition"
            ) from None
        await self._check(transition, state)
        await self._snapshot(transition, comment=comment or f"before restoring version {version}")
        return await self._apply(transition, state)

    async def delete(self, transition_id: int, *, comment: str) -> None:
        transition = await self._get(transition_id, for_update=True)
        await Remover(self.writer).remove_transitions([transition], comment=comment)

    async def _check(self, transition: Transition, state: TransitionState) -> None:
        if state.section_id is not None and state.section_id != transition.section_id:
            await check_section_of_script(
                self.sections, state.section_id, transition.script_id, field="sectionId"
            )

    async def _apply(self, transition: Transition, state: TransitionState) -> TransitionRead:
        transition.text = state.text
        transition.section_id = state.section_id
        transition.forced = state.forced
        transition.updated_at = utcnow()
        await self.writer.session.flush()
        read = transition_read(transition, await self.writer.number_of(TRANSITION, transition.id))
        await self.writer.changed(TRANSITION, transition.id, search_document(TRANSITION, read))
        return read

    async def _snapshot(self, transition: Transition, *, comment: str) -> None:
        state = as_json(transition_state(transition))
        change = Change(TRANSITION, transition.id, transition.script_id, state)
        await self.writer.snapshot(change, comment=comment)

    async def _get(self, transition_id: int, *, for_update: bool = False) -> Transition:
        transition = await self.repo.get(transition_id, for_update=for_update)
        if transition is None:
            raise NotFound(f"transition {transition_id} does not exist")
        return transition
