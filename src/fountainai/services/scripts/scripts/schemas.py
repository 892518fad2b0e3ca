"""Wire shapes of scripts (camelCase JSON)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field, StrictBool, field_validator

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


class ScriptFields(ApiInput):
    title: Title
    author: Author = ""
    description: Description = ""
    title_page: TitlePage = Field(default_factory=list)
    comment: Comment = ""


class ScriptCreate(ScriptFields):
    importing: StrictBool = Field(
        default=False,
        description="Create it as an unfinished import: until PATCH sets this to false, any "
        "writer may delete it (cascade too) without a second factor. Never kept in a version.",
    )


class ScriptReplace(ScriptFields):
    """PUT: every field is replaced; omitted ones take their defaults. ``importing`` is not one
    of them (PATCH finishes an import)."""


class ScriptUpdate(PatchInput):
    not_nullable: ClassVar[tuple[str, ...]] = (
        "title",
        "author",
        "description",
        "title_page",
        "importing",
    )

    title: Title | None = None
    author: Author | None = None
    description: Description | None = None
    title_page: TitlePage | None = None
    importing: StrictBool | None = Field(
        default=None,
        description="Only `false`: finishes an import. A script never becomes an import again.",
    )
    comment: Comment = ""

    @field_validator("importing")
    @classmethod
    def _only_finish(cls, importing: bool | None) -> bool | None:
        if importing:
            raise ValueError(
                "importing can only be set to false (finishing an import); "
                "a script never becomes an unfinished import again"
            )
        return importing


class ScriptState(ApiModel):
    """What a version of a script keeps, and what restoring one puts back: never ``importing``,
    so restoring an old version cannot make a finished script deletable without step-up."""

    title: str
    author: str
    description: str
    title_page: list[TitlePageEntry]


class ScriptRead(ScriptState):
    id: int
    importing: bool = Field(
        description="An unfinished import: any writer may delete it without a second factor."
    )
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
