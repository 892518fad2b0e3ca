"""Wire shapes of assembled stories (camelCase JSON)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fountainai.core import ApiModel
from fountainai.core.clients.scripts.models import SceneHeading, TitlePageEntry
from fountainai.core.elements import ElementType


class StoryNode(ApiModel):
    """One element in reading order. Fields that do not apply to its kind are absent."""

    element_type: ElementType
    element_id: int
    sequence_number: int | None = Field(
        description="Its place in the reading order; null for a section shown only as the "
        "container of elements on this page (`continued`)."
    )
    section_id: int | None = None
    kind: str | None = Field(default=None, description="Sections: act, sequence or scene.")
    title: str | None = None
    heading: SceneHeading | None = None
    text: str | None = None
    forced: bool | None = None
    character_id: int | None = None
    character_name: str | None = Field(default=None, description="The character, resolved.")
    speech_id: int | None = None
    parenthetical: str | None = None
    extensions: list[str] | None = None
    dual: bool | None = None
    context: dict[str, Any] | None = Field(
        default=None, description="Its narrative state (Sessions & Context), if any."
    )
    continued: bool | None = Field(
        default=None,
        description="A section whose own entry is outside this page or filter, shown as the "
        "container of the elements that are in it.",
    )
    elements: list[StoryNode] | None = Field(
        default=None, description="Sections: the elements within it, nested."
    )


class CharacterSummary(ApiModel):
    id: int
    name: str
    aliases: list[str]
    description: str
    context: dict[str, Any] | None = None


class ScriptSummary(ApiModel):
    id: int
    title: str
    author: str
    description: str
    title_page: list[TitlePageEntry]
    importing: bool = False
    context: dict[str, Any] | None = None


class FullStory(ApiModel):
    """A script assembled in reading order: sections with their elements nested."""

    script: ScriptSummary
    characters: list[CharacterSummary]
    total_count: int = Field(description="Elements matching the filters, on every page.")
    limit: int
    offset: int
    elements: list[StoryNode]


class StoryWindow(ApiModel):
    """The elements numbered ``startSequence``..``endSequence`` of a script, flat, in order."""

    script_id: int
    start_sequence: int
    end_sequence: int
    total_count: int = Field(description="How many elements the script's order holds.")
    elements: list[StoryNode]
