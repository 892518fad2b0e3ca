"""Wire shapes of actions (camelCase JSON)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StrictBool

from fountainai.core import ApiInput
from fountainai.core.elements import Comment, EntityId
from fountainai.core.story import ElementRead, PatchInput, PlacedState, Position

ActionText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=10_000,
        description="The action paragraph as written (line breaks kept).",
        examples=["Rain hammers the windshield."],
    ),
]
SectionRef = Annotated[
    EntityId | None, Field(description="The section it belongs to, in the same script.")
]
CharacterRef = Annotated[
    EntityId | None, Field(description="A character of the same script it is about, if any.")
]
Forced = Annotated[StrictBool, Field(description="Written with Fountain's '!' marker.")]


class ActionFields(ApiInput):
    text: ActionText
    section_id: SectionRef = None
    character_id: CharacterRef = None
    forced: Forced = False


class ActionCreate(ActionFields):
    script_id: EntityId
    position: Position | None = None
    comment: Comment = ""


class ActionUpdate(PatchInput):
    not_nullable: ClassVar[tuple[str, ...]] = ("text", "forced")

    text: ActionText | None = None
    section_id: SectionRef = None
    character_id: CharacterRef = None
    forced: Forced | None = None
    comment: Comment = ""


class ActionState(PlacedState):
    """What a version of an action keeps, and what restoring one puts back."""

    character_id: int | None
    text: str
    forced: bool


class ActionRead(ActionState, ElementRead):
    """An action as the API shows it."""
