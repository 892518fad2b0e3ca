"""``POST /login/mfa/code`` and ``POST /login/mfa``: the second step of a login with 2FA."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from fountainai.core import (
    PermissionDenied,
    RateLimited,
    Unauthorized,
    UnprocessableEntity,
    UpstreamUnavailable,
    problem_responses,
)
from fountainai.core.db import TransactionsDep
from fountainai.services.kms.accounts.endpoints import NO_STORE
from fountainai.services.kms.accounts.schemas import TokenResponse
from fountainai.services.kms.dependencies import ClientIpDep, SettingsDep, TokenIssuerDep
from fountainai.services.kms.mfa.dependencies import TwoFactorDep
from fountainai.services.kms.mfa.login import MfaLogin
from fountainai.services.kms.mfa.schemas import MfaCodeRequest, MfaCodeSent, MfaLoginRequest

router = APIRouter(tags=["accounts"])

TWOFA_ANSWERS = problem_responses(
    Unauthorized, PermissionDenied, UnprocessableEntity, RateLimited, UpstreamUnavailable
)


@router.post(
    "/login/mfa/code",
    operation_id="sendLoginCode",
    summary="Have a one-time code delivered for a login ticket (out of band, never in here).",
    status_code=status.HTTP_202_ACCEPTED,
    responses=TWOFA_ANSWERS,
)
async def send_login_code(
    body: MfaCodeRequest,
    transactions: TransactionsDep,
    settings: SettingsDep,
    issuer: TokenIssuerDep,
    twofa: TwoFactorDep,
    ip: ClientIpDep,
    response: Response,
) -> MfaCodeSent:
    """401 for a bad ticket; 2FA's 429 (resend limit) is passed on."""
    response.headers.update(NO_STORE)
    service = MfaLogin(transactions, settings, issuer=issuer, twofa=twofa)
    return await service.send_code(body.ticket, ip=ip)


@router.post(
    "/login/mfa",
    operation_id="completeLogin",
    summary="Exchange a login ticket and a second-factor code for an access and a refresh token.",
    responses=TWOFA_ANSWERS,
)
async def complete_login(
    body: MfaLoginRequest,
    transactions: TransactionsDep,
    settings: SettingsDep,
    issuer: TokenIssuerDep,
    twofa: TwoFactorDep,
    ip: ClientIpDep,
    response: Response,
) -> TokenResponse:
    """A ticket admits a few codes and one success. 2FA's 403 (code rejected), 422 (not a code)
    and 429 (too many attempts) are passed on; 401 once the ticket is used up or expired."""
    response.headers.update(NO_STORE)
    service = MfaLogin(transactions, settings, issuer=issuer, twofa=twofa)
    return await service.complete(body.ticket, body.code, ip=ip)
