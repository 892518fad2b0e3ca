"""The KMS routers: everything under /api/v1, and again at the root for the seed's paths."""

from __future__ import annotations

from fastapi import APIRouter

from fountainai.services.kms.accounts.endpoints import router as accounts_router
from fountainai.services.kms.apikeys.endpoints import router as api_keys_router
from fountainai.services.kms.audit.endpoints import router as audit_router
from fountainai.services.kms.mfa.endpoints import router as mfa_login_router
from fountainai.services.kms.mfa.internal_endpoints import router as internal_router
from fountainai.services.kms.revocation.endpoints import router as revocation_router
from fountainai.services.kms.signing.endpoints import router as discovery_router


def public_routers() -> list[APIRouter]:
    return [accounts_router, mfa_login_router, api_keys_router, revocation_router, audit_router]


def routers() -> list[APIRouter]:
    return [*public_routers(), internal_router]


def root_routers() -> list[APIRouter]:
    """``/.well-known/*``, plus the seed's ``POST /register`` etc. (hidden: one operation each);
    the internal endpoints only under /api/v1."""
    aliases = APIRouter()
    for router in public_routers():
        aliases.include_router(router, include_in_schema=False)
    return [discovery_router, aliases]
