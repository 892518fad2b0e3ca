"""Wire shapes of transitions (camelCase JSON)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StrictBool

from fountainai.core import ApiInput
from fountainai.core.elements import Comment, EntityId
from fountainai.core.story.schemas import (
    ElementRead,
    PatchInput,
    PlacedState,
    Position,
)

TransitionText = Annotated[str, Field(min_length=1, max_length=200, examples=["CUT TO:"])]


class TransitionCreate(ApiInput):
    text: TransitionText
    section_id: EntityId | None = Field(
        default=None, description="The section it belongs to, in the same script."
    )
    forced: StrictBool = Field(default=False, description="Written with Fountain's '>' marker.")
    position: Position | None = None
    comment: Comment = ""


class TransitionUpdate(PatchInput):
    not_nullable: ClassVar[tuple[str, ...]] = ("text", "forced")

    text: TransitionText | None = None
    section_id: EntityId | None = None
    forced: StrictBool | None = None
    comment: Comment = ""


class TransitionState(PlacedState):
    """What a version of a transition keeps, and what restoring one puts back."""

    text: str
    forced: bool


class TransitionRead(TransitionState, ElementRead):
    """A transition as the API shows it."""
