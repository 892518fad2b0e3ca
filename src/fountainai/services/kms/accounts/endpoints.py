"""Register, log in, refresh, log out (also at the root: ``POST /register`` as in the seed)."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Response, status

from fountainai.core import Conflict, PermissionDenied, RateLimited, Unauthorized, problem_responses
from fountainai.core.auth import AUTH_RESPONSES, CurrentPrincipal
from fountainai.core.db import SessionDep, TransactionsDep
from fountainai.services.kms.accounts.dependencies import OptionalPrincipal, PasswordsDep
from fountainai.services.kms.accounts.login import LoginService
from fountainai.services.kms.accounts.registration import Registrar
from fountainai.services.kms.accounts.schemas import (
    LoginRequest,
    LogoutRequest,
    MfaRequired,
    RefreshRequest,
    RegisterRequest,
    TokenResponse,
    UserRead,
)
from fountainai.services.kms.accounts.sessions import SessionService
from fountainai.services.kms.accounts.tokens import TokenPairs
from fountainai.services.kms.accounts.users_endpoints import router as users_router
from fountainai.services.kms.accounts.users_endpoints import user_read
from fountainai.services.kms.dependencies import ClientIpDep, SettingsDep, TokenIssuerDep

router = APIRouter(tags=["accounts"])

# RFC 6749 section 5.1: responses carrying tokens must not be cached.
NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post(
    "/register",
    operation_id="registerUser",
    summary="Create an account (the first one may be admin: bootstrap; later roles need an admin).",
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, **problem_responses(Conflict)},
    # Credentials are optional here (an admin's grant roles); `{}` says anonymous calls are valid.
    openapi_extra={"security": [{}]},
)
async def register_user(
    body: RegisterRequest,
    caller: OptionalPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    ip: ClientIpDep,
) -> UserRead:
    user = await Registrar(session, settings, passwords).register(body, caller, ip=ip)
    return user_read(user)


@router.post(
    "/login",
    operation_id="login",
    summary="Exchange a username and password for an access and a refresh token.",
    response_model=TokenResponse | MfaRequired,
    responses=problem_responses(Unauthorized, RateLimited),
)
async def login(
    body: LoginRequest,
    transactions: TransactionsDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    issuer: TokenIssuerDep,
    ip: ClientIpDep,
    response: Response,
) -> TokenResponse | MfaRequired:
    response.headers.update(NO_STORE)
    service = LoginService(transactions, settings, passwords=passwords, issuer=issuer)
    return await service.login(body.username, body.password, ip=ip)


@router.post(
    "/token/refresh",
    operation_id="refreshToken",
    summary="Spend a refresh token for a new pair (rotation; a replayed token ends its login).",
    responses=problem_responses(Unauthorized),
)
async def refresh_token(
    body: RefreshRequest,
    session: SessionDep,
    settings: SettingsDep,
    issuer: TokenIssuerDep,
    ip: ClientIpDep,
    response: Response,
) -> TokenResponse:
    response.headers.update(NO_STORE)
    return await TokenPairs(session, settings, issuer).refresh(body.refresh_token, ip=ip)


@router.post(
    "/logout",
    operation_id="logout",
    summary="Revoke this access token and, if given, the refresh token's whole login.",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**AUTH_RESPONSES, **problem_responses(PermissionDenied)},
)
async def logout(
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    ip: ClientIpDep,
    body: LogoutRequest | None = None,
) -> None:
    refresh = body.refresh_token if body else None
    await SessionService(session, settings, passwords).logout(principal, refresh, ip=ip)


@router.post(
    "/logout/all",
    operation_id="logoutEverywhere",
    summary="End every session of the caller: all access and refresh tokens stop working.",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=AUTH_RESPONSES,
)
async def logout_everywhere(
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    ip: ClientIpDep,
) -> None:
    await SessionService(session, settings, passwords).logout_everywhere(principal, ip=ip)


router.include_router(users_router)
