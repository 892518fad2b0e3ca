"""Wire shapes of the batch endpoints: a script, its new elements in order, where they go."""

from __future__ import annotations

from typing import Annotated, Generic, Self, TypeVar

from pydantic import Field, model_validator

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import Comment, EntityId
from fountainai.core.story import ElementRead, Position
from fountainai.services.characters.actions.schemas import ActionFields, ActionRead
from fountainai.services.characters.characters.schemas import CharacterFields, CharacterRead
from fountainai.services.characters.lines.schemas import LineFields, LineRead

ItemT = TypeVar("ItemT", bound=ApiInput)
ReadT = TypeVar("ReadT", bound=ElementRead)

# The ceiling of the schema; the service's ``max_batch_size`` setting (at most this) applies too.
MAX_ITEMS = 5000

SpeechKey = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="Lines of this batch with the same key form one speech (its speechId is the "
        "id of the first of them); instead of speechId.",
        examples=["s1"],
    ),
]


class BatchCreate(ApiInput, Generic[ItemT]):
    self_checking_fields = frozenset({"items"})

    script_id: EntityId
    items: list[ItemT] = Field(min_length=1, max_length=MAX_ITEMS)
    position: Position | None = Field(
        default=None,
        description="Insert the whole block here, in item order; default: append.",
    )
    comment: Comment = ""


class BatchRead(ApiModel, Generic[ReadT]):
    items: list[ReadT] = Field(description="The created elements, in item order.")


class LineBatchItem(LineFields):
    speech_key: SpeechKey | None = None

    @model_validator(mode="after")
    def _one_speech_reference(self) -> Self:
        if self.speech_id is not None and self.speech_key is not None:
            raise ValueError("give speechId or speechKey, not both")
        return self


class CharacterBatchCreate(BatchCreate[CharacterFields]):
    """Characters of one script in the order they enter it."""


class ActionBatchCreate(BatchCreate[ActionFields]):
    """Actions of one script in reading order."""


class LineBatchCreate(BatchCreate[LineBatchItem]):
    """Lines of one script in reading order, grouped in speeches by speechId or speechKey."""


class CharacterBatchRead(BatchRead[CharacterRead]):
    pass


class ActionBatchRead(BatchRead[ActionRead]):
    pass


class LineBatchRead(BatchRead[LineRead]):
    pass
