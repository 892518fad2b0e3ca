"""The service's /api/v1 routers."""

from __future__ import annotations

from fastapi import APIRouter

from fountainai.services.scripts.batch.endpoints import router as batch_router
from fountainai.services.scripts.markup.endpoints import router as markup_router
from fountainai.services.scripts.scripts.endpoints import router as scripts_router
from fountainai.services.scripts.sections.endpoints import router as sections_router
from fountainai.services.scripts.transitions.endpoints import router as transitions_router


def routers() -> list[APIRouter]:
    return [scripts_router, sections_router, transitions_router, markup_router, batch_router]
