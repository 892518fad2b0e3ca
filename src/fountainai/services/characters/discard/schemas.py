"""Wire shapes of a discard."""

from __future__ import annotations

from pydantic import Field

from fountainai.core import ApiModel


class DiscardCounts(ApiModel):
    """How many elements of each kind the discard deleted."""

    characters: int = Field(ge=0)
    actions: int = Field(ge=0)
    lines: int = Field(ge=0)
    paraphrases: int = Field(ge=0)
