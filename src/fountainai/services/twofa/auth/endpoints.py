"""/auth/generate, /auth/verify, /auth/step-up (also at the root, as in the seed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from fountainai.core import (
    NotFound,
    PermissionDenied,
    RateLimited,
    UnprocessableEntity,
    UpstreamUnavailable,
    problem_responses,
)
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.http import UpstreamError
from fountainai.services.twofa.auth.schemas import (
    CodeAccepted,
    CodeSent,
    GenerateRequest,
    StepUpRequest,
    VerifyRequest,
)
from fountainai.services.twofa.auth.service import AuthService
from fountainai.services.twofa.auth.targets import generate_target, verify_target
from fountainai.services.twofa.dependencies import (
    DeliveryDep,
    FactorsDep,
    KmsDep,
    UserDep,
    own_account,
)
from fountainai.services.twofa.errors import CodeRejected
from fountainai.services.twofa.kms_client import SteppedUpToken

router = APIRouter(tags=["codes"], responses=AUTH_RESPONSES)


async def get_auth_service(factors: FactorsDep, kms: KmsDep, delivery: DeliveryDep) -> AuthService:
    return AuthService(factors, kms=kms, delivery=delivery)


AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]


def bearer_token(request: Request) -> str | None:
    """The raw access token the caller authenticated with, if it was a Bearer token."""
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return None
    return credential.strip()


@router.post(
    "/auth/generate",
    operation_id="generateCode",
    summary="Send a one-time code to a user out of band (never in this answer).",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(
        PermissionDenied,
        NotFound,
        UnprocessableEntity,
        RateLimited,
        UpstreamError,  # the KMS refused to look up a user for an admin
        UpstreamUnavailable,
    ),
)
async def generate_code(
    body: GenerateRequest,
    principal: CurrentPrincipal,
    factors: FactorsDep,
    kms: KmsDep,
    service: AuthServiceDep,
    request: Request,
) -> CodeSent:
    account = await generate_target(
        principal,
        username=body.username,
        user_id=body.user_id,
        repository=factors.repository,
        kms=kms,
        bearer_token=bearer_token(request),
    )
    return await service.send_code(account)


@router.post(
    "/auth/verify",
    operation_id="verifyCode",
    summary="Check a TOTP, one-time or recovery code (each accepted once).",
    responses=problem_responses(CodeRejected, UnprocessableEntity, RateLimited),
)
async def verify_code(
    body: VerifyRequest, principal: CurrentPrincipal, service: AuthServiceDep
) -> CodeAccepted:
    account = verify_target(principal, username=body.username, user_id=body.user_id)
    return await service.verify(account, body.code)


@router.post(
    "/auth/step-up",
    operation_id="stepUp",
    summary="Exchange a code for a fresh access token with otp in amr (for guarded actions).",
    responses=problem_responses(CodeRejected, RateLimited, UpstreamUnavailable),
)
async def step_up(
    body: StepUpRequest, user: UserDep, service: AuthServiceDep, request: Request
) -> SteppedUpToken:
    token = bearer_token(request)
    if token is None:
        raise PermissionDenied("Step-up needs the access token itself (Authorization: Bearer).")
    return await service.step_up(own_account(user), body.code, access_token=token)
