"""The service's /api/v1 routers."""

from __future__ import annotations

from fastapi import APIRouter

from fountainai.services.story.assembly.endpoints import router as stories_router
from fountainai.services.story.export.endpoints import router as export_router
from fountainai.services.story.imports.endpoints import router as imports_router


def routers() -> list[APIRouter]:
    return [imports_router, stories_router, export_router]
