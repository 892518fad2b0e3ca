"""The story element kinds every service agrees on, and the id type they share."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2**63 - 1  # BIGINT on every backend


class ElementType(StrEnum):
    SCRIPT = "script"
    SECTION = "section"
    CHARACTER = "character"
    ACTION = "action"
    SPOKEN_WORD = "spokenWord"
    TRANSITION = "transition"
    NOTE = "note"
    LYRIC = "lyric"
    CENTERED = "centered"
    PAGE_BREAK = "pageBreak"
    SYNOPSIS = "synopsis"
    PARAPHRASE = "paraphrase"


# strict: "1", 1.0 and true are not ids.
EntityId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, examples=[1])]
Comment = Annotated[
    str,
    Field(
        max_length=2000,
        description="Why this write was made; kept in the audit trail and version history.",
    ),
]
# Path and query parameters arrive as text, so they are parsed leniently but bounded the same.
IdParam = Annotated[int, Field(ge=1, le=MAX_ID)]
# The ``/{elementType}/{elementId}`` path segments every service's element routes share.
ElementTypePath = Annotated[ElementType, Path(alias="elementType")]
ElementIdPath = Annotated[IdParam, Path(alias="elementId")]
