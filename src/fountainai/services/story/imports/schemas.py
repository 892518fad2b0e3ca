"""Wire shapes of imports (camelCase JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from fountainai.core import ApiModel
from fountainai.services.story.models import StoryImport

ImportId = Annotated[
    str,
    Field(
        pattern=r"^[0-9a-f]{32}$",
        description="Choose the import's id (32 lowercase hex digits, new) to follow its "
        "progress with GET /stories/imports/{importId} while it runs.",
    ),
]
Filename = Annotated[
    str,
    Field(
        max_length=255,
        description="The uploaded file's name: its suffix picks the format when `format` is "
        "absent (.fountain, .fdx, .json), its stem is the title when the title page has none.",
    ),
]


class ImportNotice(ApiModel):
    line: int = Field(description="The source line it concerns; 0: the whole file.")
    message: str


class ImportReport(ApiModel):
    """What an import did. ``status``: ``completed``; ``rolled_back`` (it failed and its
    partial script was removed); ``rollback_pending`` (that removal failed too: retry with
    ``DELETE /stories/imports/{importId}``); ``running``."""

    import_id: str
    script_id: int | None
    status: str
    format: str
    filename: str
    source_bytes: int
    elements_total: int = Field(description="Elements the import creates in all.")
    elements_done: int = Field(description="Of those, how many are created so far.")
    counts: dict[str, int] = Field(description="Elements created, by elementType.")
    element_count: int
    warnings: list[ImportNotice] = Field(
        description="What the platform had to change: text split or cut, boneyard not kept, ..."
    )
    error: str = ""
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: StoryImport) -> ImportReport:
        return cls(
            import_id=row.id,
            script_id=row.script_id,
            status=row.status,
            format=row.source_format,
            filename=row.filename,
            source_bytes=row.source_bytes,
            elements_total=row.elements_total,
            elements_done=row.elements_done,
            counts=row.counts,
            element_count=sum(row.counts.values()),
            warnings=[ImportNotice.model_validate(w) for w in row.warnings],
            error=row.error,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
