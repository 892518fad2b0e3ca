"""Wire shapes of sections (camelCase JSON)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import Comment, EntityId
from fountainai.core.story.schemas import ElementRead, PatchInput, Position

SectionTitle = Annotated[str, Field(max_length=300)]


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


class SceneHeading(ApiInput):
    """A scene's heading, e.g. ``INT. KITCHEN - NIGHT #12#``."""

    prefix: HeadingPrefix | None = Field(
        default=None, description="null for a forced heading (a line starting with '.')."
    )
    location: str = Field(default="", max_length=300)
    time_of_day: str = Field(default="", max_length=100)
    scene_number: str | None = Field(default=None, min_length=1, max_length=20)


class SectionCreate(ApiInput):
    kind: SectionKind
    title: SectionTitle = ""
    parent_id: EntityId | None = Field(
        default=None, description="The enclosing section, in the same script; null: top level."
    )
    heading: SceneHeading | None = Field(default=None, description="Scenes only.")
    position: Position | None = None
    comment: Comment = ""


class SectionUpdate(PatchInput):
    not_nullable: ClassVar[tuple[str, ...]] = ("kind", "title")

    kind: SectionKind | None = None
    title: SectionTitle | None = None
    parent_id: EntityId | None = None
    heading: SceneHeading | None = None
    comment: Comment = ""


class SectionState(ApiModel):
    """What a version of a section keeps, and what restoring one puts back."""

    kind: SectionKind
    title: str
    parent_id: int | None
    heading: SceneHeading | None


class SectionRead(SectionState, ElementRead):
    """A section as the API shows it."""


class SectionIds(ApiModel):
    """The ids of a script's sections, oldest first: what another service checking that a
    section belongs to a script needs, without the reading order (no call to Central
    Sequence)."""

    script_id: int
    section_ids: list[int]
