"""Dependencies of the two-factor endpoints: the 2FA client, and who may call the internal ones."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Depends, Request

from fountainai.core import PermissionDenied
from fountainai.core.auth import MFA_ASSERT_SCOPE, CurrentPrincipal, Principal
from fountainai.services.kms.mfa.client import TwoFactorClient

ASSERTERS_ONLY: Final = (
    f"Only the two-factor service (an API key with the {MFA_ASSERT_SCOPE} scope) may call this."
)


async def get_twofa(request: Request) -> TwoFactorClient:
    twofa: TwoFactorClient = request.app.state.twofa
    return twofa


async def require_mfa_asserter(principal: CurrentPrincipal) -> Principal:
    """A service holding ``mfa:assert``, which only ``fountain kms create-service-key`` grants:
    no user (admins included) and no other key may set second factors or mint step-up tokens."""
    if principal.kind != "service" or not principal.has_scope(MFA_ASSERT_SCOPE):
        raise PermissionDenied(ASSERTERS_ONLY)
    return principal


TwoFactorDep = Annotated[TwoFactorClient, Depends(get_twofa)]
MfaAsserterDep = Annotated[Principal, Depends(require_mfa_asserter)]
