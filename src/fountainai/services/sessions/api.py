"""The service's /api/v1 routers."""

from __future__ import annotations

from fastapi import APIRouter

from fountainai.services.sessions.contexts.endpoints import router as contexts_router
from fountainai.services.sessions.sessions.endpoints import router as sessions_router


def routers() -> list[APIRouter]:
    return [sessions_router, contexts_router]
