"""Rows as the API shows them, as versions keep them, and as search indexes them."""

from __future__ import annotations

from pydantic import BaseModel

from fountainai.core.elements import ElementType
from fountainai.core.story import Change, as_json, placed_read, row_columns
from fountainai.services.scripts.markup.schemas import MarkupRead, MarkupState
from fountainai.services.scripts.models import Markup, Placed, Script, Section, Transition
from fountainai.services.scripts.scripts.schemas import ScriptRead, ScriptState
from fountainai.services.scripts.sections.schemas import SectionRead, SectionState
from fountainai.services.scripts.transitions.schemas import TransitionRead, TransitionState

Row = Script | Section | Placed


def script_state(script: Script) -> ScriptState:
    return ScriptState.model_validate(script, from_attributes=True)


def section_state(section: Section) -> SectionState:
    return SectionState.model_validate(section, from_attributes=True)


def state_of(row: Row) -> BaseModel:
    """The state a version of ``row`` keeps."""
    if isinstance(row, Script):
        return script_state(row)
    if isinstance(row, Section):
        return section_state(row)
    if isinstance(row, Transition):
        return TransitionState.model_validate(row, from_attributes=True)
    if isinstance(row, Markup):
        return MarkupState.model_validate(row, from_attributes=True)
    raise TypeError(f"no state for {type(row).__name__}")


def change_of(element_type: ElementType, row: Row) -> Change:
    """``row``'s current state, to keep as a version before it changes."""
    script_id = row.id if isinstance(row, Script) else row.script_id
    return Change(element_type, row.id, script_id, as_json(state_of(row)))


def script_read(script: Script, number: int | None) -> ScriptRead:
    return ScriptRead.model_validate(
        {**row_columns(script), "sequence_number": number}, from_attributes=False
    )


def section_read(section: Section, number: int | None) -> SectionRead:
    return SectionRead.model_validate({**row_columns(section), "sequence_number": number})


def transition_read(transition: Transition, number: int | None) -> TransitionRead:
    return placed_read(TransitionRead, transition, number)


def markup_read(markup: Markup, number: int | None) -> MarkupRead:
    return placed_read(MarkupRead, markup, number)
