"""Wire shapes of the batch endpoint."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import Comment, ElementType, EntityId
from fountainai.core.story.schemas import Position
from fountainai.services.scripts.markup.schemas import MarkupText
from fountainai.services.scripts.sections.schemas import SectionCreate
from fountainai.services.scripts.transitions.schemas import TransitionCreate

Ref = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="A name for this element within the batch, so later ones can point at it.",
    ),
]


class BatchSection(SectionCreate):
    element_type: Literal["section"]
    ref: Ref | None = None
    parent_ref: Ref | None = Field(
        default=None, description="The parent, created earlier in this batch (instead of parentId)."
    )

    @model_validator(mode="after")
    def _one_parent(self) -> Self:
        if self.parent_id is not None and self.parent_ref is not None:
            raise ValueError("give parentId or parentRef, not both")
        if self.position is not None:
            raise ValueError("position applies to the whole batch, not to one element")
        return self


class PlacedInBatch(ApiInput):
    """What a transition or markup element in a batch adds: a ref, and a section by its ref."""

    section_id: EntityId | None = None
    ref: Ref | None = None
    section_ref: Ref | None = Field(
        default=None,
        description="Its section, created earlier in this batch (instead of sectionId).",
    )

    @model_validator(mode="after")
    def _one_section(self) -> Self:
        if self.section_id is not None and self.section_ref is not None:
            raise ValueError("give sectionId or sectionRef, not both")
        if getattr(self, "position", None) is not None:
            raise ValueError("position applies to the whole batch, not to one element")
        return self


class BatchTransition(TransitionCreate, PlacedInBatch):
    element_type: Literal["transition"]


class BatchMarkup(PlacedInBatch):
    """A note, lyric, centered text, page break or synopsis: its kind is its elementType."""

    element_type: Literal["note", "lyric", "centered", "pageBreak", "synopsis"]
    text: MarkupText = ""


BatchElement = Annotated[
    BatchSection | BatchTransition | BatchMarkup, Field(discriminator="element_type")
]


class BatchCreate(ApiInput):
    """Elements in reading order, created in one transaction and numbered in one call."""

    self_checking_fields = frozenset({"elements"})
    elements: list[BatchElement] = Field(min_length=1, max_length=5000)
    position: Position | None = Field(
        default=None, description="Insert the whole block here; default: append."
    )
    comment: Comment = ""


class BatchCreated(ApiModel):
    element_type: ElementType
    element_id: int
    sequence_number: int
    ref: str | None = None


class BatchResult(ApiModel):
    script_id: int
    elements: list[BatchCreated]
    comment: str = ""
