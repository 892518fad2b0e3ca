"""Who may manage API keys, and the service object the endpoints use."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fountainai.core import PermissionDenied
from fountainai.core.auth import AdminDep, RecentOtpDep
from fountainai.core.db import SessionDep
from fountainai.services.kms.apikeys.service import Actor, ApiKeyService
from fountainai.services.kms.dependencies import ClientIpDep, SettingsDep


async def require_key_manager(principal: AdminDep, ip: ClientIpDep) -> Actor:
    """An admin *user*. A service's API key, even one with the admin scope, may read the key
    listings but never create, rotate or revoke keys: a leaked key cannot mint itself a
    successor or revoke its peers, and every key change traces to a person.
    """
    if principal.kind != "user":
        raise PermissionDenied("API keys are managed by admin users, not by API keys.")
    return Actor.of(principal, ip)


KeyManagerDep = Annotated[Actor, Depends(require_key_manager)]


async def require_step_up(actor: KeyManagerDep, _stepped_up: RecentOtpDep) -> Actor:
    """Rotate and revoke: a key manager who used a second factor within the last 5 minutes
    (``amr`` has "otp"); 401 insufficient-user-authentication otherwise."""
    return actor


StepUpKeyManagerDep = Annotated[Actor, Depends(require_step_up)]


async def get_api_key_service(session: SessionDep, settings: SettingsDep) -> ApiKeyService:
    return ApiKeyService(session, settings)


ApiKeyServiceDep = Annotated[ApiKeyService, Depends(get_api_key_service)]
