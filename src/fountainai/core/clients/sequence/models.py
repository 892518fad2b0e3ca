"""The Central Sequence API's JSON, mirrored (core may not import the service itself).

Request bodies carry no value constraints on purpose: the sequence service is the one authority
on them, and its 422 reaches the caller as ``UnprocessableEntity`` with its detail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from fountainai.core.elements import ElementType
from fountainai.core.schemas import ApiInput, ApiModel

# --- inputs a caller builds ---------------------------------------------------------------------


class ElementRef(ApiInput):
    """One element, named by kind and id (a batch or a complete new order lists these)."""

    element_type: ElementType
    element_id: int


class BlockMove(ApiInput):
    """Move ``count`` elements from ``from_sequence`` so the block starts at ``to_sequence``."""

    from_sequence: int
    count: int
    to_sequence: int


# --- request bodies (built by the client) ---------------------------------------------------------


class AllocateRequest(ApiInput):
    element_type: ElementType
    element_id: int
    script_id: int | None = None
    position: int | None = None
    comment: str = ""


class BatchRequest(ApiInput):
    script_id: int
    elements: list[ElementRef]
    position: int | None = None
    comment: str = ""


class BatchRemoveRequest(ApiInput):
    script_id: int
    elements: list[ElementRef]
    comment: str = ""


class ReorderRequest(ApiInput):
    script_id: int
    order: list[ElementRef] | None = None
    move: BlockMove | None = None
    comment: str = ""


class VersionRequest(ApiInput):
    element_type: ElementType
    element_id: int
    script_id: int | None = None
    new_version_data: dict[str, Any]
    comment: str = ""


# --- answers ------------------------------------------------------------------------------------


class SequenceNumber(ApiModel):
    """An element's place: its script and its number in that script's reading order."""

    sequence_number: int
    element_type: ElementType
    element_id: int
    script_id: int
    comment: str = ""


class BatchEntry(ApiModel):
    element_type: ElementType
    element_id: int
    sequence_number: int
    created: bool = Field(description="False when the element already had a number.")


class BatchAllocation(ApiModel):
    script_id: int
    elements: list[BatchEntry]
    comment: str = ""


class ReorderedElement(ApiModel):
    element_type: ElementType
    element_id: int
    old_sequence: int
    new_sequence: int


class Reordering(ApiModel):
    """The elements whose numbers a reorder changed."""

    script_id: int
    updated_elements: list[ReorderedElement]
    comment: str = ""


class SequenceEntry(ApiModel):
    """One line of a script's reading order."""

    sequence_number: int
    element_type: ElementType
    element_id: int


class Removal(ApiModel):
    """An element taken out of its script's order; the numbers after it moved up by one."""

    script_id: int
    element_type: ElementType
    element_id: int
    removed_sequence: int
    comment: str = ""


class RemovedElement(ApiModel):
    element_type: ElementType
    element_id: int
    removed_sequence: int = Field(description="Its number before the removal.")


class SkippedElement(ApiModel):
    element_type: ElementType
    element_id: int


class BatchRemoval(ApiModel):
    """Elements taken out of one script's order at once; the rest closed up, in order.
    ``skipped`` ones had no number (e.g. an earlier attempt removed them)."""

    script_id: int
    removed: list[RemovedElement]
    skipped: list[SkippedElement]
    comment: str = ""


class VersionSummary(ApiModel):
    element_type: ElementType
    element_id: int
    script_id: int | None
    version_number: int
    comment: str
    created_at: datetime


class Version(VersionSummary):
    """A kept snapshot of an element, with its data."""

    data: dict[str, Any]
