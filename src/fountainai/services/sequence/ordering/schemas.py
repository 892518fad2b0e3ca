"""Wire shapes of the ordering API (camelCase, as the original FountainAI API)."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import Comment, ElementType, EntityId

Position = Annotated[int, Field(strict=True, ge=1, le=10_000_000)]


class ElementRef(ApiInput):
    element_type: ElementType
    element_id: EntityId


class SequenceRequest(ApiInput):
    """Give an element its place in a script's order. A script's own number needs no scriptId."""

    element_type: ElementType
    element_id: EntityId
    script_id: EntityId | None = Field(
        default=None, description="Required except for elementType 'script' (defaults to its id)."
    )
    position: Position | None = Field(
        default=None, description="Insert here (1-based), shifting the rest; default: append."
    )
    comment: Comment = ""

    @model_validator(mode="after")
    def _script_scope(self) -> Self:
        if self.element_type is ElementType.SCRIPT:
            if self.script_id is None:
                self.script_id = self.element_id
            elif self.script_id != self.element_id:
                raise ValueError(
                    "a script's own number lives in its own order: scriptId = elementId"
                )
        elif self.script_id is None:
            raise ValueError("scriptId is required for every elementType but 'script'")
        return self

    @property
    def scope(self) -> int:
        assert self.script_id is not None
        return self.script_id


class SequenceResponse(ApiModel):
    sequence_number: int
    element_type: ElementType
    element_id: int
    script_id: int
    comment: str = ""


class BatchRequest(ApiInput):
    script_id: EntityId
    elements: list[ElementRef] = Field(min_length=1)
    position: Position | None = Field(
        default=None, description="Insert the new elements as a block here; default: append."
    )
    comment: Comment = ""


class BatchEntry(ApiModel):
    element_type: ElementType
    element_id: int
    sequence_number: int
    created: bool = Field(description="False when the element already had a number (idempotent).")


class BatchResponse(ApiModel):
    script_id: int
    elements: list[BatchEntry]
    comment: str = ""


class BlockMove(ApiInput):
    """Move ``count`` elements from ``fromSequence`` so the block then starts at ``toSequence``."""

    from_sequence: Position
    count: Position
    to_sequence: Position


class ReorderRequest(ApiInput):
    """Either ``order`` (the complete new order) or ``move`` (a contiguous block), not both."""

    script_id: EntityId
    order: list[ElementRef] | None = None
    move: BlockMove | None = None
    comment: Comment = ""

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        if (self.order is None) == (self.move is None):
            raise ValueError("give exactly one of 'order' (complete new order) or 'move'")
        return self


class ReorderedElement(ApiModel):
    element_type: ElementType
    element_id: int
    old_sequence: int
    new_sequence: int


class ReorderResponse(ApiModel):
    script_id: int
    updated_elements: list[ReorderedElement]
    comment: str = ""


class SequenceEntry(ApiModel):
    sequence_number: int
    element_type: ElementType
    element_id: int


class BatchRemoveRequest(ApiInput):
    """Take many elements out of one script's order in one transaction; the rest close up."""

    script_id: EntityId
    elements: list[ElementRef] = Field(min_length=1)
    comment: Comment = ""


class RemovedElement(ApiModel):
    element_type: ElementType
    element_id: int
    removed_sequence: int = Field(description="Its number before this removal.")


class SkippedElement(ApiModel):
    element_type: ElementType
    element_id: int


class BatchRemoveResponse(ApiModel):
    script_id: int
    removed: list[RemovedElement]
    skipped: list[SkippedElement] = Field(
        description="Named elements that had no number (e.g. removed by an earlier attempt)."
    )
    comment: str = ""


class DeleteResponse(ApiModel):
    script_id: int
    element_type: ElementType
    element_id: int
    removed_sequence: int
    comment: str = ""
