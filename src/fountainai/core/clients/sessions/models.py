"""The Sessions API's JSON, mirrored (core may not import the service itself).

Request bodies carry no value constraints on purpose: the sessions service is the one authority
on them, and its 422 reaches the caller as ``UnprocessableEntity`` with its detail.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum, StrEnum
from typing import Any, Final, Literal

from pydantic import Field

from fountainai.core.elements import ElementType
from fountainai.core.schemas import ApiInput, ApiModel


class SessionSort(StrEnum):
    CREATED_AT = "createdAt"
    CREATED_AT_DESC = "-createdAt"
    UPDATED_AT = "updatedAt"
    UPDATED_AT_DESC = "-updatedAt"
    TITLE = "title"
    TITLE_DESC = "-title"


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


UNCHANGED: Final = _Unchanged.UNCHANGED
"""A PATCH argument left out: the field stays as it is (where ``None`` means something)."""
Unchanged = Literal[_Unchanged.UNCHANGED]


# --- request bodies (built by the client) ---------------------------------------------------------


class SessionCreateRequest(ApiInput):
    title: str
    script_id: int | None = None
    context: list[str] = Field(default_factory=list)
    comment: str = ""


class SessionPatchRequest(ApiInput):
    """Sent with only the fields given: ``script_id`` None unlinks the script."""

    title: str | None = None
    script_id: int | None = None
    context: list[str] | None = None
    append_context: list[str] | None = None
    comment: str = ""


class ContextUpdateRequest(ApiInput):
    values: dict[str, Any]
    comment: str = ""


# --- answers ------------------------------------------------------------------------------------


class WorkSession(ApiModel):
    """A user's working session: its script (if any) and its context, a list of strings."""

    id: int
    title: str
    script_id: int | None
    context: list[str]
    owner: str = Field(description="The subject of the user who created the session.")
    owner_name: str = Field(description="That user's name when the session was created.")
    created_at: datetime
    updated_at: datetime


class Context(ApiModel):
    """A story element's context: key/value state (``revision`` 0: never written)."""

    target_type: ElementType
    target_id: int
    values: dict[str, Any]
    revision: int
    updated_at: datetime | None


class ContextChange(ApiModel):
    """One key's change in a context's history (``None``: the key did not exist / was deleted)."""

    revision: int
    key: str
    old_value: Any
    new_value: Any
    actor: str
    comment: str
    changed_at: datetime
