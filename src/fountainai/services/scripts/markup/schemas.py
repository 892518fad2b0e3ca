"""Wire shapes of markup: the Fountain-only element kinds (camelCase JSON)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field

from fountainai.core import ApiInput
from fountainai.core.elements import Comment, ElementType, EntityId
from fountainai.core.story.schemas import (
    ElementRead,
    PatchInput,
    PlacedState,
    Position,
)

MAX_TEXT = 10_000


class MarkupKind(StrEnum):
    """Each is its own element type at Central Sequence (the same value)."""

    NOTE = "note"
    LYRIC = "lyric"
    CENTERED = "centered"
    PAGE_BREAK = "pageBreak"
    SYNOPSIS = "synopsis"

    @property
    def element_type(self) -> ElementType:
        return ElementType(self.value)


MarkupText = Annotated[
    str,
    Field(
        max_length=MAX_TEXT,
        description="Required (1..10,000 characters) for every kind but pageBreak, which has none.",
        examples=["We should see the scar here."],
    ),
]


class MarkupCreate(ApiInput):
    kind: MarkupKind
    text: MarkupText = ""
    section_id: EntityId | None = Field(
        default=None, description="The section it belongs to, in the same script."
    )
    position: Position | None = None
    comment: Comment = ""


class MarkupUpdate(PatchInput):
    """The kind stays: it is part of the element's identity at Central Sequence."""

    not_nullable: ClassVar[tuple[str, ...]] = ("text",)

    text: MarkupText | None = None
    section_id: EntityId | None = None
    comment: Comment = ""


class MarkupState(PlacedState):
    """What a version of a markup element keeps, and what restoring one puts back."""

    kind: MarkupKind
    text: str


class MarkupRead(MarkupState, ElementRead):
    """A markup element as the API shows it."""
