"""Wire types the element kinds share."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import Field, model_validator

from fountainai.core import ApiInput, ApiModel

Position = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=10_000_000,
        description="Insert here in the script's reading order (1-based); default: append.",
    ),
]
VersionNumber = Annotated[int, Field(ge=1, le=2**31 - 1)]
# As a query parameter (text, so parsed leniently but bounded the same).
PositionParam = Annotated[
    int,
    Field(
        ge=1,
        le=10_000_000,
        description="Where a re-created (deleted) element goes in the reading order; "
        "default: the end.",
    ),
]


class PatchInput(ApiInput):
    """A partial update: only the fields sent change; ``null`` only where a field may be null."""

    not_nullable: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _no_null_for_required_fields(self) -> Self:
        nulls = [
            name
            for name in self.model_fields_set
            if name in self.not_nullable and getattr(self, name) is None
        ]
        if nulls:
            raise ValueError(f"these fields may not be null: {', '.join(sorted(nulls))}")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the caller sent (except ``comment``), by their Python names."""
        return {name: getattr(self, name) for name in self.model_fields_set if name != "comment"}


class PlacedState(ApiModel):
    """What every element placed in a script keeps in its versions: at least its section."""

    section_id: int | None


class ElementRead(ApiModel):
    """The fields every element in a script (a section, transition, ...) shows beside its state."""

    id: int
    script_id: int
    sequence_number: int | None = Field(
        description="Its number in the script's reading order; null if Central Sequence has none."
    )
    created_by: str
    created_at: datetime
    updated_at: datetime
