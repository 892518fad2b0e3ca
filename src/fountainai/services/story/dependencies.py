"""Dependencies shared by the service's endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fountainai.core.auth import Role, require_role
from fountainai.services.story.config import StorySettings

# Reads need `reader`, writes `writer`; one guard per route (see docs/AUTH_MODEL.md).
READER = Depends(require_role(Role.READER))
WRITER = Depends(require_role(Role.WRITER))


async def get_settings(request: Request) -> StorySettings:
    """Async on purpose: a plain function dependency costs a thread-pool hop per request."""
    settings: StorySettings = request.app.state.settings
    return settings


SettingsDep = Annotated[StorySettings, Depends(get_settings)]
