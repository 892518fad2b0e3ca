"""The Story Factory API's JSON, mirrored loosely (core may not import the service itself):
fields a reader does not need stay out, and unknown ones are ignored, so the service may grow."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from fountainai.core.clients.scripts.models import SceneHeading, TitlePageEntry
from fountainai.core.schemas import ApiModel


class StoryFormat(StrEnum):
    """The file formats a story is imported from and exported as."""

    FOUNTAIN = "fountain"
    FDX = "fdx"
    JSON = "json"


class ImportNotice(ApiModel):
    line: int = Field(description="The source line it concerns; 0: the whole file.")
    message: str


class ImportReport(ApiModel):
    """What an import did, or has done so far. ``status``: ``running``, ``completed``,
    ``rolled_back`` or ``rollback_pending``."""

    import_id: str
    script_id: int | None = None
    status: str
    format: str = ""
    filename: str = ""
    source_bytes: int = 0
    elements_total: int = 0
    elements_done: int = 0
    counts: dict[str, int] = Field(default_factory=dict)
    element_count: int = 0
    warnings: list[ImportNotice] = Field(default_factory=list)
    error: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


class StoryNode(ApiModel):
    """One element in reading order; a section nests the elements within it."""

    element_type: str
    element_id: int
    sequence_number: int | None = None
    section_id: int | None = None
    kind: str | None = None
    title: str | None = None
    heading: SceneHeading | None = None
    text: str | None = None
    forced: bool | None = None
    character_id: int | None = None
    character_name: str | None = None
    speech_id: int | None = None
    parenthetical: str | None = None
    extensions: list[str] | None = None
    dual: bool | None = None
    context: dict[str, Any] | None = None
    continued: bool | None = None
    elements: list[StoryNode] | None = None


class StoryCharacter(ApiModel):
    id: int
    name: str
    aliases: list[str] = Field(default_factory=list)
    description: str = ""
    context: dict[str, Any] | None = None


class StoryScript(ApiModel):
    id: int
    title: str
    author: str = ""
    description: str = ""
    title_page: list[TitlePageEntry] = Field(default_factory=list)
    importing: bool = False
    context: dict[str, Any] | None = None


class FullStory(ApiModel):
    """One page of a script assembled in reading order."""

    script: StoryScript
    characters: list[StoryCharacter]
    total_count: int
    limit: int
    offset: int
    elements: list[StoryNode]
