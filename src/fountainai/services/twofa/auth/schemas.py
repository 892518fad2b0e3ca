"""Request and response bodies of /auth/* (camelCase JSON; the step-up answer is OAuth's shape)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from fountainai.core import ApiInput, ApiModel
from fountainai.services.twofa.codes.formats import Code, Method
from fountainai.services.twofa.delivery import Channel

Username = Annotated[str, Field(min_length=1, max_length=64, description="A KMS username.")]
UserId = Annotated[
    str, Field(min_length=1, max_length=128, description="A KMS user id (the token's `sub`).")
]


class GenerateRequest(ApiInput):
    username: Username
    user_id: UserId | None = Field(
        default=None, description="Required from a service (scope mfa:verify); else optional."
    )


class CodeSent(ApiModel):
    """The code went out of band; it is never in this answer."""

    delivered: bool = True
    channel: Channel
    expires_at: datetime


class VerifyRequest(ApiInput):
    code: Code
    username: Username | None = Field(default=None, description="Whose code; default: yours.")
    user_id: UserId | None = Field(
        default=None, description="Whose code; required from a service (scope mfa:verify)."
    )


class CodeAccepted(ApiModel):
    success: bool = True
    method: Method


class StepUpRequest(ApiInput):
    code: Code
