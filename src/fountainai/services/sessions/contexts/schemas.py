"""JSON shapes of contexts and their history (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import ElementType
from fountainai.services.sessions.storable import StoredComment, StoredJson

MAX_KEYS_PER_WRITE = 500
KEY_PATTERN = r"^[A-Za-z0-9_.-]+$"

ContextKey = Annotated[str, Field(min_length=1, max_length=100, pattern=KEY_PATTERN)]


class ContextUpdate(ApiInput):
    """Keys to set; a key given ``null`` is deleted, keys left out stay as they are."""

    values: dict[ContextKey, StoredJson] = Field(
        max_length=MAX_KEYS_PER_WRITE,
        description=(
            "Key (1-100 of `A-Z a-z 0-9 _ . -`) to any JSON value (finite numbers, nested at "
            "most 32 deep), or null to delete the key. The whole context must stay within the "
            "service's size limit (10 KB by default)."
        ),
    )
    comment: StoredComment = ""


class ContextRead(ApiModel):
    target_type: ElementType
    target_id: int
    values: dict[str, Any] = Field(description="The current values, by key in sorted order.")
    revision: int = Field(description="Writes that changed something so far (0: never written).")
    updated_at: datetime | None


class ContextChangeRead(ApiModel):
    revision: int = Field(description="The write that made this change (keys may share one).")
    key: str
    old_value: Any = Field(description="The value before; null if the key did not exist.")
    new_value: Any = Field(description="The value after; null if the key was deleted.")
    actor: str
    comment: str
    changed_at: datetime
