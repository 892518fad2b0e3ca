"""Dependencies shared by the service's endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fountainai.core.auth import Role, require_role
from fountainai.services.sequence.config import SequenceSettings

# Reads need `reader`, writes `writer` (or a role ranked above); see docs/AUTH_MODEL.md.
# One guard per route, on the route: a router-wide reader guard would run again on every write.
READER = Depends(require_role(Role.READER))
WRITER = Depends(require_role(Role.WRITER))


async def get_settings(request: Request) -> SequenceSettings:
    """Async on purpose: a plain function dependency costs a thread-pool hop per request."""
    settings: SequenceSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[SequenceSettings, Depends(get_settings)]
