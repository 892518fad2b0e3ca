"""Wire shapes of paraphrases (camelCase JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import Comment, ElementType, EntityId
from fountainai.core.story import PatchInput


def _not_a_paraphrase(element_type: ElementType) -> ElementType:
    if element_type is ElementType.PARAPHRASE:
        raise ValueError("a paraphrase rewords a story element, not another paraphrase")
    return element_type


# Any kind Central Sequence numbers; a paraphrase itself has no number, so it is refused.
TargetType = Annotated[
    ElementType,
    AfterValidator(_not_a_paraphrase),
    Field(description="The kind of element reworded (any but `paraphrase`)."),
]
TargetId = Annotated[EntityId, Field(description="The element reworded; it must exist.")]
ParaphraseText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=10_000,
        description="The other wording.",
        examples=["Bob would rather not go back."],
    ),
]
Commentary = Annotated[
    str,
    Field(
        max_length=10_000,
        description="Why this wording, or what it brings out.",
        examples=["Plainer; keeps the refusal."],
    ),
]


class ParaphraseCreate(ApiInput):
    element_type: TargetType
    element_id: TargetId
    text: ParaphraseText
    commentary: Commentary = ""
    comment: Comment = ""


class ParaphraseUpdate(PatchInput):
    """The target stays: a paraphrase of something else is a new paraphrase."""

    not_nullable: ClassVar[tuple[str, ...]] = ("text", "commentary")

    text: ParaphraseText | None = None
    commentary: Commentary | None = None
    comment: Comment = ""


class ParaphraseWording(ApiModel):
    """What an update or a restore changes."""

    text: str
    commentary: str


class ParaphraseState(ParaphraseWording):
    """What a version of a paraphrase keeps: its wording and its target (to re-create it)."""

    element_type: ElementType
    element_id: int


class ParaphraseRead(ApiModel):
    """A paraphrase as the API shows it (not in the reading order: it has no number)."""

    id: int
    script_id: int = Field(description="The script of the element reworded.")
    element_type: ElementType
    element_id: int
    text: str
    commentary: str
    created_by: str
    created_at: datetime
    updated_at: datetime
