"""Wire shapes of characters (camelCase JSON)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import Comment, EntityId
from fountainai.core.story import ElementRead, PatchInput, Position

# One line, no surrounding whitespace: a character cue is matched by its name. "One line"
# excludes every Unicode line break (VT, FF, NEL, U+2028/9 too), not only CR and LF.
CharacterName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=120,
        pattern=r"^\S(?:[^\r\n\x0b\x0c\x85\u2028\u2029]*\S)?$",
        examples=["MARGARET"],
    ),
]
Aliases = Annotated[
    list[CharacterName],
    Field(
        max_length=20,
        description="Other names the character goes by (each unique in the script, any case).",
        examples=[["MAGGIE", "MRS. DALE"]],
    ),
]
Description = Annotated[str, Field(max_length=10_000)]


class CharacterFields(ApiInput):
    name: CharacterName
    description: Description = ""
    aliases: Aliases = Field(default_factory=list)


class CharacterCreate(CharacterFields):
    script_id: EntityId
    position: Position | None = Field(
        default=None,
        description="Where the character enters the script's reading order; default: the end.",
    )
    comment: Comment = ""


class CharacterReplace(CharacterFields):
    """PUT: every editable field (omitted ones take their defaults); the script stays."""

    comment: Comment = ""


class CharacterUpdate(PatchInput):
    not_nullable: ClassVar[tuple[str, ...]] = ("name", "description", "aliases")

    name: CharacterName | None = None
    description: Description | None = None
    aliases: Aliases | None = None
    comment: Comment = ""


class CharacterState(ApiModel):
    """What a version of a character keeps, and what restoring one puts back."""

    name: str
    description: str
    aliases: list[str]


class CharacterRead(CharacterState, ElementRead):
    """A character as the API shows it."""
