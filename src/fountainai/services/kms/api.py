"""The KMS routers: everything under /api/v1, and again at the root for the seed's paths."""

from __future__ import annotations

from fastapi import APIRouter

from fountainai.services.kms.accounts.endpoints import router as accounts_router
from fountainai.services.kms.apikeys.endpoints import router as api_keys_router
from fountainai.services.kms.audit.endpoints import router as audit_router
from fountainai.services.kms.revocation.endpoints import router as revocation_router
from fountainai.services.kms.signing.endpoints import router as discovery_router


def routers() -> list[APIRouter]:
    return [accounts_router, api_keys_router, revocation_router, audit_router]


def root_routers() -> list[APIRouter]:
    """``/.well-known/*``, plus the seed's ``POST /register`` etc. (hidden: one operation each)."""
    aliases = APIRouter()
    for router in routers():
        aliases.include_router(router, include_in_schema=False)
    return [discovery_router, aliases]
