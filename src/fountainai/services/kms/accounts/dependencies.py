"""Dependencies of the accounts endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from fountainai.core import PermissionDenied
from fountainai.core.auth import (
    AdminDep,
    Principal,
    RecentOtpDep,
    api_key_scheme,
    bearer_scheme,
    get_principal,
)
from fountainai.services.kms.accounts.passwords import Passwords
from fountainai.services.kms.accounts.registration import ACCOUNTS_NEED_A_USER


async def get_passwords(request: Request) -> Passwords:
    passwords: Passwords = request.app.state.passwords
    return passwords


async def get_optional_principal(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal | None:
    """The caller if they sent credentials (bad ones are still a 401), else None (anonymous)."""
    if "authorization" not in request.headers and "x-api-key" not in request.headers:
        return None
    return await get_principal(request, bearer, api_key)


async def get_account_manager(admin: AdminDep) -> Principal:
    """An admin *user*: like API keys, accounts are changed by people, never by API keys (a
    leaked admin-scoped key must not mint itself an account); keys may still read listings."""
    if admin.kind != "user":
        raise PermissionDenied(ACCOUNTS_NEED_A_USER)
    return admin


AccountManagerDep = Annotated[Principal, Depends(get_account_manager)]


async def get_privileged_admin(admin: AccountManagerDep, _stepped_up: RecentOtpDep) -> Principal:
    """An admin user who used a second factor within the last 5 minutes (step-up): role
    changes and disabling an account need one. Non-admins get 403 before the step-up's 401."""
    return admin


PasswordsDep = Annotated[Passwords, Depends(get_passwords)]
OptionalPrincipal = Annotated[Principal | None, Depends(get_optional_principal)]
PrivilegedAdminDep = Annotated[Principal, Depends(get_privileged_admin)]
