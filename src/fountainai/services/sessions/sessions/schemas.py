"""JSON shapes of sessions (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from fountainai.core import ApiInput, ApiModel
from fountainai.core.elements import EntityId
from fountainai.services.sessions.storable import StoredComment, StoredText

MAX_CONTEXT_ITEMS = 500

Title = Annotated[StoredText, Field(min_length=1, max_length=200)]
ContextItem = Annotated[StoredText, Field(max_length=2000)]
ContextList = Annotated[
    list[ContextItem],
    Field(
        max_length=MAX_CONTEXT_ITEMS,
        description=(
            f"Up to {MAX_CONTEXT_ITEMS} strings of at most 2,000 characters, kept exactly as "
            "given (commas, quotes, newlines and emoji included) and in order."
        ),
    ),
]


class SessionSort(StrEnum):
    CREATED_AT = "createdAt"
    CREATED_AT_DESC = "-createdAt"
    UPDATED_AT = "updatedAt"
    UPDATED_AT_DESC = "-updatedAt"
    TITLE = "title"
    TITLE_DESC = "-title"


class SessionCreate(ApiInput):
    """A new session; also the body of PUT, which replaces every field (absent ones reset)."""

    title: Title
    script_id: EntityId | None = Field(default=None, description="The script worked on, if any.")
    context: ContextList = Field(default_factory=list)
    comment: StoredComment = ""


_NOT_NULL = {"title": "title", "context": "context", "append_context": "appendContext"}


class SessionPatch(ApiInput):
    """Only the fields given change; ``context`` replaces the list, then ``appendContext`` is
    added to its end. ``scriptId: null`` unlinks the script."""

    title: Title | None = None
    script_id: EntityId | None = None
    context: ContextList | None = None
    append_context: ContextList | None = Field(
        default=None, description="Strings to add at the end of the context list."
    )
    comment: StoredComment = ""

    @model_validator(mode="after")
    def _no_nulls_where_a_value_is_needed(self) -> SessionPatch:
        for name, wire_name in _NOT_NULL.items():
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{wire_name} may be left out, but not null")
        return self


class SessionRead(ApiModel):
    id: int
    title: str
    script_id: int | None
    context: list[str]
    owner: str = Field(description="The subject of the user who created the session.")
    owner_name: str = Field(description="That user's name when the session was created.")
    created_at: datetime
    updated_at: datetime
