"""Request and response bodies of the accounts endpoints.

Token endpoints speak OAuth's snake_case (``access_token``, ``refresh_token``); the rest of the
API is camelCase like every FountainAI service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from fountainai.core import ApiInput, ApiModel
from fountainai.core.auth import Role
from fountainai.core.schemas import StorableInput
from fountainai.services.kms.accounts.passwords import PASSWORD_MAX_LENGTH
from fountainai.services.kms.accounts.usernames import MAX_USERNAME_INPUT, canonical_username

MAX_REFRESH_TOKEN_LENGTH = 200


def _split_roles(value: Any) -> Any:
    """The seed sends ``"roles": "admin"``; a comma-separated string is a list too."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _distinct_roles(roles: list[Role]) -> list[Role]:
    return sorted(set(roles))


RoleList = Annotated[
    list[Role],
    BeforeValidator(_split_roles),
    Field(min_length=1, max_length=8),
    AfterValidator(_distinct_roles),
]
Password = Annotated[str, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]


class RegisterRequest(ApiInput):
    username: str = Field(
        max_length=MAX_USERNAME_INPUT,
        description="Stored case-folded and NFKC-normalized: 3-64 of a-z 0-9 . _ - @.",
    )
    password: Password
    roles: RoleList | None = Field(
        default=None,
        description=(
            "A list, or a comma-separated string. Anything beyond reader needs an admin caller, "
            "except for the very first account (bootstrap). Default: reader."
        ),
    )

    @field_validator("username")
    @classmethod
    def _canonical(cls, value: str) -> str:
        return canonical_username(value)


class UserRead(ApiModel):
    id: str
    username: str
    roles: list[Role]
    disabled: bool
    created_at: datetime


class UserUpdate(ApiInput):
    roles: RoleList | None = Field(default=None, description="The complete new set of roles.")
    disabled: bool | None = Field(
        default=None, description="true ends every session of the user; false re-enables."
    )


class PasswordChange(ApiInput):
    current_password: Password
    new_password: Password


class OAuthInput(StorableInput):
    """snake_case like OAuth; unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", str_max_length=4096)


class LoginRequest(OAuthInput):
    username: str = Field(min_length=1, max_length=MAX_USERNAME_INPUT)
    password: Password


class RefreshRequest(OAuthInput):
    refresh_token: str = Field(min_length=1, max_length=MAX_REFRESH_TOKEN_LENGTH)


class LogoutRequest(OAuthInput):
    refresh_token: str | None = Field(
        default=None,
        max_length=MAX_REFRESH_TOKEN_LENGTH,
        description="Also end this refresh token's session (its whole family).",
    )


class TokenResponse(BaseModel):
    """RFC 6749 section 5.1, plus the refresh token's own lifetime."""

    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - RFC 6750 token type
    expires_in: int = Field(description="Seconds the access token is valid.")
    refresh_token_expires_in: int = Field(description="Seconds the refresh token is valid.")
    scope: str
    amr: list[str] = Field(
        description='How the user logged in (RFC 8176): ["pwd"], ["pwd", "otp"].'
    )


class MfaRequired(BaseModel):
    """The password was right, and the account has a second factor: no tokens yet.

    Send the ticket with a code to ``POST /login/mfa`` (``POST /login/mfa/code`` first to have a
    one-time code delivered).
    """

    mfa_required: Literal[True] = True
    ticket: str = Field(description="Opaque, single use; good for expires_in seconds.")
    expires_in: int = Field(description="Seconds the ticket is valid.")
    methods: list[str] = Field(description="Second factors 2FA accepts: totp, otp, recovery.")
