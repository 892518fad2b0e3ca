"""The Scripts API's JSON, mirrored (core may not import the service itself).

Request bodies carry no value constraints on purpose: the scripts service is the one authority
on them, and its 422 reaches the caller as ``UnprocessableEntity`` with its detail.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from fountainai.core.schemas import ApiInput, ApiModel


class SectionKind(StrEnum):
    ACT = "act"
    SEQUENCE = "sequence"
    SCENE = "scene"


class HeadingPrefix(StrEnum):
    """The scene-heading prefixes Fountain recognises (a forced ``.`` heading has none)."""

    INT = "INT"
    EXT = "EXT"
    EST = "EST"
    INT_EXT = "INT./EXT."
    INT_SLASH_EXT = "INT/EXT"
    I_E = "I/E"


class ScriptSort(StrEnum):
    CREATED_AT = "createdAt"
    CREATED_AT_DESC = "-createdAt"
    UPDATED_AT = "updatedAt"
    UPDATED_AT_DESC = "-updatedAt"
    TITLE = "title"
    TITLE_DESC = "-title"


# --- shapes both sent and answered --------------------------------------------------------------


class TitlePageEntry(ApiModel):
    """One title-page line: keys may repeat (two ``Author`` lines), values may span lines."""

    key: str
    value: str


class SceneHeading(ApiModel):
    """A scene's heading, e.g. ``INT. KITCHEN - NIGHT #12#`` (``prefix`` None: forced)."""

    prefix: HeadingPrefix | None = None
    location: str = ""
    time_of_day: str = ""
    scene_number: str | None = None


# --- request bodies (built by the client) ---------------------------------------------------------


class ScriptCreateRequest(ApiInput):
    title: str
    author: str = ""
    description: str = ""
    title_page: list[TitlePageEntry] = Field(default_factory=list)
    comment: str = ""


class SectionCreateRequest(ApiInput):
    kind: SectionKind
    title: str = ""
    parent_id: int | None = None
    heading: SceneHeading | None = None
    position: int | None = None
    comment: str = ""


# --- answers ------------------------------------------------------------------------------------


class Script(ApiModel):
    """A script: its title page and its own number in its reading order."""

    id: int
    title: str
    author: str
    description: str
    title_page: list[TitlePageEntry]
    sequence_number: int | None = Field(description="None if Central Sequence has none for it.")
    created_by: str
    created_at: datetime
    updated_at: datetime


class Section(ApiModel):
    """An act, sequence or scene of a script (``parent_id`` None: top level)."""

    id: int
    script_id: int
    parent_id: int | None
    kind: SectionKind
    title: str
    heading: SceneHeading | None
    sequence_number: int | None = Field(description="None if Central Sequence has none for it.")
    created_by: str
    created_at: datetime
    updated_at: datetime
