"""Wire shapes of the two-factor endpoints: snake_case at the token endpoints (like OAuth),
camelCase on the internal ones (like every FountainAI API)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from fountainai.core import ApiInput
from fountainai.core.auth import MAX_TOKEN_LENGTH
from fountainai.services.kms.accounts.schemas import OAuthInput

MAX_TICKET_LENGTH = 200
MAX_CODE_LENGTH = 64

Ticket = Field(min_length=1, max_length=MAX_TICKET_LENGTH, description="From POST /login.")


class MfaCodeRequest(OAuthInput):
    ticket: str = Ticket


class MfaLoginRequest(OAuthInput):
    ticket: str = Ticket
    code: str = Field(
        min_length=1,
        max_length=MAX_CODE_LENGTH,
        description="A TOTP code, a one-time code (6 digits) or a recovery code.",
    )


class MfaCodeSent(BaseModel):
    delivered: bool
    expires_in: int = Field(description="Seconds the delivered code (and the ticket) stay valid.")


class MfaFlagUpdate(ApiInput):
    enabled: bool = Field(description="Whether logins of the account need a second factor.")


class StepUpRequest(ApiInput):
    subject_token: str = Field(
        min_length=1, max_length=MAX_TOKEN_LENGTH, description="The user's current access token."
    )
    method: Literal["totp", "otp", "recovery"] = Field(description="The factor 2FA checked.")


class StepUpResponse(BaseModel):
    """A fresh access token (no refresh token): ``amr`` has ``otp``, ``auth_time`` is now."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - RFC 6750 token type
    expires_in: int
    amr: list[str]
    auth_time: int
