"""The 2FA routers: everything under /api/v1, and the seed's /auth/* again at the root."""

from __future__ import annotations

from fastapi import APIRouter

from fountainai.services.twofa.auth.endpoints import router as auth_router
from fountainai.services.twofa.totp.endpoints import router as totp_router


def routers() -> list[APIRouter]:
    return [totp_router, auth_router]


def root_routers() -> list[APIRouter]:
    """``POST /auth/generate`` etc. as the seed calls them (hidden: one operation each)."""
    aliases = APIRouter()
    aliases.include_router(auth_router, include_in_schema=False)
    return [aliases]
