"""``/internal/mfa``: what only the 2FA service may ask (an API key with ``mfa:assert``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from fountainai.core import BadRequest, NotFound, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, Authenticator
from fountainai.core.db import SessionDep
from fountainai.services.kms.dependencies import ClientIpDep, TokenIssuerDep
from fountainai.services.kms.mfa.dependencies import MfaAsserterDep
from fountainai.services.kms.mfa.schemas import MfaFlagUpdate, StepUpRequest, StepUpResponse
from fountainai.services.kms.mfa.step_up import MfaAssertions

router = APIRouter(prefix="/internal/mfa", tags=["internal"], responses=AUTH_RESPONSES)

UserIdPath = Annotated[uuid.UUID, Path(alias="userId", description="The account's id.")]


@router.put(
    "/users/{userId}",
    operation_id="setUserMfa",
    summary="Whether an account logs in with a second factor (the 2FA service only).",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def set_user_mfa(
    user_id: UserIdPath,
    body: MfaFlagUpdate,
    caller: MfaAsserterDep,
    session: SessionDep,
    ip: ClientIpDep,
) -> None:
    """Changing it ends the account's pending login tickets."""
    await MfaAssertions(session, caller=caller, ip=ip).set_enabled(
        str(user_id), enabled=body.enabled
    )


@router.post(
    "/step-up",
    operation_id="stepUpToken",
    summary="A fresh access token with otp in amr and auth_time now (the 2FA service only).",
    responses=problem_responses(BadRequest),
)
async def step_up_token(
    body: StepUpRequest,
    caller: MfaAsserterDep,
    session: SessionDep,
    issuer: TokenIssuerDep,
    ip: ClientIpDep,
    request: Request,
    response: Response,
) -> StepUpResponse:
    """The subject token must verify here (revocations included) and be a user's whose account
    is enabled; else 400 invalid-subject-token. No refresh token is issued."""
    response.headers["Cache-Control"] = "no-store"
    authenticator: Authenticator = request.app.state.authenticator
    service = MfaAssertions(session, caller=caller, ip=ip)
    return await service.step_up(body, verifier=authenticator.verifier, issuer=issuer)
