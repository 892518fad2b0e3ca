from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import Comment, ElementType, EntityId


class VersionRequest(ApiInput):
    element_type: ElementType
    element_id: EntityId
    script_id: EntityId | None = Field(
        default=None, description="Defaults to the script the element is sequenced in."
    )
    new_version_data: dict[str, Any] = Field(
        description="The element's full state to keep (a snapshot, restorable later)."
    )
    comment: Comment = ""


class VersionSummary(ApiModel):
    element_type: ElementType
    element_id: int
    script_id: int | None
    version_number: int
    comment: str
    created_at: datetime


class VersionRead(VersionSummary):
    data: dict[str, Any]


class VersionDiff(ApiModel):
    element_type: ElementType
    element_id: int
    from_version: int
    to_version: int
    patch: list[dict[str, Any]] = Field(
        description="RFC 6902 JSON Patch turning version fromVersion into toVersion."
    )


class PurgeResult(ApiModel):
    element_type: ElementType
    element_id: int
    purged: int = Field(description="Versions deleted by this request.")
    remaining: int = Field(description="Versions left (the newest keepLatest).")
    comment: str
