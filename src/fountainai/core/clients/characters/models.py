"""The Characters API's JSON, mirrored (core may not import the service itself).

Request bodies carry no value constraints on purpose: the characters service is the one
authority on them, and its 422 reaches the caller as ``UnprocessableEntity`` with its detail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import Field

from fountainai.core.schemas import ApiInput, ApiModel

ItemT = TypeVar("ItemT", bound=ApiInput)
T = TypeVar("T")

# --- request bodies (built by the client) ---------------------------------------------------------


class CharacterCreateRequest(ApiInput):
    script_id: int
    name: str
    description: str = ""
    aliases: list[str] = Field(default_factory=list)
    position: int | None = None
    comment: str = ""


class ActionCreateRequest(ApiInput):
    script_id: int
    text: str
    section_id: int | None = None
    character_id: int | None = None
    forced: bool = False
    position: int | None = None
    comment: str = ""


class LineCreateRequest(ApiInput):
    script_id: int
    character_id: int
    text: str
    section_id: int | None = None
    speech_id: int | None = None
    parenthetical: str = ""
    extensions: list[str] = Field(default_factory=list)
    dual: bool = False
    position: int | None = None
    comment: str = ""


# --- batches (POST /characters/batch, /actions/batch, /lines/batch) ------------------------------


class CharacterBatchItem(ApiInput):
    """One character of a batch, in the order they enter the script."""

    name: str
    description: str = ""
    aliases: list[str] = Field(default_factory=list)


class ActionBatchItem(ApiInput):
    """One action of a batch, in reading order."""

    text: str
    section_id: int | None = None
    character_id: int | None = None
    forced: bool = False


class LineBatchItem(ApiInput):
    """One line of a batch, in reading order: it continues ``speech_id``, or the speech the
    first line of this batch with the same ``speech_key`` starts, or else starts its own."""

    character_id: int
    text: str
    section_id: int | None = None
    speech_id: int | None = None
    speech_key: str | None = None
    parenthetical: str = ""
    extensions: list[str] = Field(default_factory=list)
    dual: bool = False


class BatchRequest(ApiInput, Generic[ItemT]):
    script_id: int
    items: list[ItemT]
    position: int | None = None
    comment: str = ""


# --- answers ------------------------------------------------------------------------------------


class _Element(ApiModel):
    """What every element of a script shows: its ids, number and audit fields."""

    id: int
    script_id: int
    sequence_number: int | None = Field(description="None if Central Sequence has none for it.")
    created_by: str
    created_at: datetime
    updated_at: datetime


class Character(_Element):
    """A character of a script: its name and aliases are unique there, in any case."""

    name: str
    description: str
    aliases: list[str]


class Action(_Element):
    """What happens on screen (``character_id``: the character it is about, if any)."""

    section_id: int | None
    character_id: int | None
    text: str
    forced: bool


class Line(_Element):
    """A line of dialogue; the lines of one speech share its ``speech_id`` (the id of the line
    that started it) and its speaker."""

    section_id: int | None
    character_id: int
    speech_id: int
    text: str
    parenthetical: str
    extensions: list[str]
    dual: bool


class Created(ApiModel, Generic[T]):
    """A batch's answer: the created elements, in item order."""

    items: list[T]


class DiscardCounts(ApiModel):
    """What discarding an unfinished import's elements deleted, by kind."""

    characters: int
    actions: int
    lines: int
    paraphrases: int
