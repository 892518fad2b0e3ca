"""Wire shapes of the API-key endpoints (camelCase). No response ever carries a stored hash."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from fastapi import Path
from pydantic import AfterValidator, Field

from fountainai.core import ApiInput, ApiModel

SERVICE_NAME_PATTERN = r"^[a-z][a-z0-9-]{1,62}$"
MAX_EXPIRES_IN_DAYS = 3650

# Must equal core's API_KEY_SCOPES (a test checks); a Literal gives the OpenAPI schema its enum.
ApiKeyScope = Literal["story:read", "story:write", "admin"]

ServiceName = Annotated[
    str,
    Field(
        min_length=2,
        max_length=63,
        pattern=SERVICE_NAME_PATTERN,
        description="Lowercase letters, digits and '-', starting with a letter (2-63 chars).",
        examples=["gateway"],
    ),
]
ServiceNamePath = Annotated[
    str,
    Path(min_length=2, max_length=63, pattern=SERVICE_NAME_PATTERN),
]
ExpiresInDays = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=MAX_EXPIRES_IN_DAYS,
        description="Lifetime in days; default: the service's apiKeyDefaultDays setting.",
    ),
]


def _sorted_unique(scopes: list[ApiKeyScope]) -> list[ApiKeyScope]:
    return sorted(set(scopes))


Scopes = Annotated[
    list[ApiKeyScope],
    Field(min_length=1, max_length=10, description="What the key may do; at least one."),
    AfterValidator(_sorted_unique),
]


class ApiKeyStatus(StrEnum):
    ACTIVE = "active"
    GRACE = "grace"  # superseded by a rotation, still valid until expiresAt
    EXPIRED = "expired"
    REVOKED = "revoked"


class ApiKeyCreate(ApiInput):
    service_name: ServiceName
    scopes: Scopes
    expires_in_days: ExpiresInDays | None = None


class ApiKeyRotate(ApiInput):
    """Both optional: by default the new key keeps the old key's scopes and gets a fresh expiry."""

    scopes: Scopes | None = None
    expires_in_days: ExpiresInDays | None = None


class ApiKeyCreated(ApiModel):
    """The one answer that carries the key itself: store it now, it cannot be shown again."""

    id: str
    service_name: str
    api_key: str = Field(description="The whole key, shown this once; only its hash is kept.")
    prefix: str = Field(description="Names the key in listings (not secret).")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime


class ApiKeyRotated(ApiKeyCreated):
    previous_prefix: str
    previous_expires_at: datetime = Field(
        description="The superseded key keeps working until then (the rotation grace period)."
    )


class ApiKeyRead(ApiModel):
    """A key as listings show it: how to recognise it, never the key or its hash."""

    id: str
    service_name: str
    prefix: str
    scopes: list[str]
    status: ApiKeyStatus
    created_at: datetime
    created_by: str | None
    expires_at: datetime
    last_used_at: datetime | None
    rotated_at: datetime | None
    revoked_at: datetime | None
