"""Wire shapes of scripts (camelCase JSON)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import Comment
from fountainai.core.story.schemas import PatchInput

Title = Annotated[str, Field(min_length=1, max_length=300)]
Author = Annotated[str, Field(max_length=200)]
Description = Annotated[str, Field(max_length=10_000)]


class TitlePageEntry(ApiInput):
    """One title-page line: keys may repeat (two ``Author`` lines), values may span lines."""

    key: str = Field(min_length=1, max_length=100)
    value: str = Field(max_length=10_000)


TitlePage = Annotated[list[TitlePageEntry], Field(max_length=100)]


class ScriptCreate(ApiInput):
    title: Title
    author: Author = ""
    description: Description = ""
    title_page: TitlePage = Field(default_factory=list)
    comment: Comment = ""


class ScriptReplace(ScriptCreate):
    """PUT: every field is replaced; omitted ones take their defaults."""


class ScriptUpdate(PatchInput):
    not_nullable: ClassVar[tuple[str, ...]] = ("title", "author", "description", "title_page")

    title: Title | None = None
    author: Author | None = None
    description: Description | None = None
    title_page: TitlePage | None = None
    comment: Comment = ""


class ScriptState(ApiModel):
    """What a version of a script keeps, and what restoring one puts back."""

    title: str
    author: str
    description: str
    title_page: list[TitlePageEntry]


class ScriptRead(ScriptState):
    id: int
    sequence_number: int | None = Field(
        description="The script's own number in its reading order; null if Central Sequence "
        "has none for it."
    )
    created_by: str
    created_at: datetime
    updated_at: datetime


class ScriptSort(StrEnum):
    CREATED_AT = "createdAt"
    CREATED_AT_DESC = "-createdAt"
    UPDATED_AT = "updatedAt"
    UPDATED_AT_DESC = "-updatedAt"
    TITLE = "title"
    TITLE_DESC = "-title"
