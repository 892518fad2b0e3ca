from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from fountainai.core import ApiModel


class AuditAction(StrEnum):
    ALLOCATE = "allocate"
    ALLOCATE_BATCH = "allocateBatch"
    REORDER = "reorder"
    REMOVE = "remove"
    CREATE_VERSION = "createVersion"
    PURGE_VERSIONS = "purgeVersions"


class AuditEntryRead(ApiModel):
    id: int
    occurred_at: datetime
    action: AuditAction
    script_id: int | None
    element_type: str | None
    element_id: int | None
    comment: str
    actor: str | None
    request_id: str | None
    details: dict[str, Any]
