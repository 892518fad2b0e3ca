"""Query parameters the listings share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from fountainai.core.elements import IdParam

ScriptIdQuery = Annotated[
    IdParam | None, Query(alias="scriptId", description="The script (or give characterId).")
]
CharacterIdQuery = Annotated[IdParam | None, Query(alias="characterId")]
SectionIdQuery = Annotated[IdParam | None, Query(alias="sectionId")]
SpeechIdQuery = Annotated[IdParam | None, Query(alias="speechId")]
KeywordQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=200, description="Text contained, in any case."),
]
