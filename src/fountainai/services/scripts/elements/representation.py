"""Rows as the API shows them, as versions keep them, and as search indexes them."""

from __future__ import annotations

from typing import Any

from fountainai.core.elements import ElementType
from fountainai.services.scripts.models import Script, Section, Transition
from fountainai.services.scripts.scripts.schemas import ScriptRead, ScriptState
from fountainai.services.scripts.sections.schemas import SectionRead, SectionState
from fountainai.services.scripts.transitions.schemas import TransitionRead, TransitionState


def script_state(script: Script) -> ScriptState:
    return ScriptState.model_validate(script, from_attributes=True)


def section_state(section: Section) -> SectionState:
    return SectionState.model_validate(section, from_attributes=True)


def transition_state(transition: Transition) -> TransitionState:
    return TransitionState.model_validate(transition, from_attributes=True)


def script_read(script: Script, number: int | None) -> ScriptRead:
    return ScriptRead.model_validate(
        {**_columns(script), "sequence_number": number}, from_attributes=False
    )


def section_read(section: Section, number: int | None) -> SectionRead:
    return SectionRead.model_validate({**_columns(section), "sequence_number": number})


def transition_read(transition: Transition, number: int | None) -> TransitionRead:
    return TransitionRead.model_validate({**_columns(transition), "sequence_number": number})


def as_json(state: ScriptState | SectionState | TransitionState) -> dict[str, Any]:
    """The camelCase JSON a version keeps (and restore reads back)."""
    return state.model_dump(mode="json", by_alias=True)


def search_document(
    element_type: ElementType, read: ScriptRead | SectionRead | TransitionRead
) -> dict[str, Any]:
    """The search document: the element's JSON without its number (reorders change that)."""
    document = read.model_dump(mode="json", by_alias=True, exclude={"sequence_number"})
    return {"elementType": element_type.value, **document}


def _columns(row: Script | Section | Transition) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}
