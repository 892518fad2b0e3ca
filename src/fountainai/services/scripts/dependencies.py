"""Dependencies shared by the service's endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fountainai.core.auth import Role, require_role
from fountainai.core.story import ElementWriter, element_writer
from fountainai.services.scripts.config import ScriptsSettings
from fountainai.services.scripts.models import outbox

# Reads need `reader`, writes `writer`; one guard per route (see docs/AUTH_MODEL.md).
READER = Depends(require_role(Role.READER))
WRITER = Depends(require_role(Role.WRITER))


async def get_settings(request: Request) -> ScriptsSettings:
    """Async on purpose: a plain function dependency costs a thread-pool hop per request."""
    settings: ScriptsSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[ScriptsSettings, Depends(get_settings)]


ElementWriterDep = Annotated[ElementWriter, Depends(element_writer(outbox))]
