"""The service's /api/v1 routers."""

from __future__ import annotations

from fastapi import APIRouter

from fountainai.services.characters.actions.endpoints import router as actions_router
from fountainai.services.characters.batch.endpoints import router as batch_router
from fountainai.services.characters.characters.endpoints import router as characters_router
from fountainai.services.characters.discard.endpoints import router as discard_router
from fountainai.services.characters.lines.endpoints import router as lines_router
from fountainai.services.characters.paraphrases.endpoints import router as paraphrases_router


def routers() -> list[APIRouter]:
    return [
        characters_router,
        actions_router,
        lines_router,
        paraphrases_router,
        batch_router,
        discard_router,
    ]
