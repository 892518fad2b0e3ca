"""The Scripts API's JSON, mirrored (core may not import the service itself).

Request bodies carry no value constraints on purpose: the scripts service is the one authority
on them, and its 422 reaches the caller as ``UnprocessableEntity`` with its detail.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import Field

from fountainai.core.elements import ElementType
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


class MarkupKind(StrEnum):
    """The Fountain-only kinds; each is its own element type at Central Sequence."""

    NOTE = "note"
    LYRIC = "lyric"
    CENTERED = "centered"
    PAGE_BREAK = "pageBreak"
    SYNOPSIS = "synopsis"

    @property
    def element_type(self) -> ElementType:
        return ElementType(self.value)


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
    importing: bool = False
    comment: str = ""


class FinishImportRequest(ApiInput):
    importing: Literal[False] = False
    comment: str = ""


class SectionCreateRequest(ApiInput):
    kind: SectionKind
    title: str = ""
    parent_id: int | None = None
    heading: SceneHeading | None = None
    position: int | None = None
    comment: str = ""


# --- a batch of elements (POST /scripts/{scriptId}/elements/batch) -------------------------------


class BatchSectionItem(ApiInput):
    """A section; ``ref`` names it for later items, ``parent_ref`` names a parent made earlier in
    the same batch (instead of ``parent_id``)."""

    element_type: Literal["section"] = "section"
    kind: SectionKind
    title: str = ""
    parent_id: int | None = None
    heading: SceneHeading | None = None
    ref: str | None = None
    parent_ref: str | None = None


class BatchTransitionItem(ApiInput):
    """A transition, in ``section_id`` or in the section ``section_ref`` names."""

    element_type: Literal["transition"] = "transition"
    text: str
    forced: bool = False
    section_id: int | None = None
    section_ref: str | None = None
    ref: str | None = None


class BatchMarkupItem(ApiInput):
    """A note, lyric, centered text, page break (no text) or synopsis: its kind is its
    ``element_type``."""

    element_type: MarkupKind
    text: str = ""
    section_id: int | None = None
    section_ref: str | None = None
    ref: str | None = None


ScriptsBatchItem = BatchSectionItem | BatchTransitionItem | BatchMarkupItem


class ScriptsBatchRequest(ApiInput):
    elements: list[ScriptsBatchItem]
    position: int | None = None
    comment: str = ""


class BatchCreated(ApiModel):
    """One created element: its kind, id and number, and the ``ref`` it was sent with."""

    element_type: ElementType
    element_id: int
    sequence_number: int
    ref: str | None = None


class ScriptsBatchResult(ApiModel):
    """The created elements, in the order sent."""

    script_id: int
    elements: list[BatchCreated]
    comment: str = ""


# --- answers ------------------------------------------------------------------------------------


class Script(ApiModel):
    """A script: its title page and its own number in its reading order; ``importing`` while it
    is an unfinished import (deletable by any writer without a second factor)."""

    id: int
    title: str
    author: str
    description: str
    title_page: list[TitlePageEntry]
    importing: bool = False
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


class SectionIds(ApiModel):
    """The ids of one script's sections, oldest first."""

    script_id: int
    section_ids: list[int]


class _Placed(ApiModel):
    """What every element placed in a script (and maybe one of its sections) shows."""

    id: int
    script_id: int
    section_id: int | None
    sequence_number: int | None = Field(description="None if Central Sequence has none for it.")
    created_by: str
    created_at: datetime
    updated_at: datetime


class Transition(_Placed):
    """``CUT TO:`` and the like (``forced``: written with Fountain's ``>``)."""

    text: str
    forced: bool


class Markup(_Placed):
    """A note, lyric, centered text, page break (empty ``text``) or synopsis."""

    kind: MarkupKind
    text: str
