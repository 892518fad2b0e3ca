"""Dependencies shared by the service's endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fountainai.core.auth import Role, require_role
from fountainai.core.clients import ForwardedCredentials, ScriptsDep
from fountainai.core.story import ElementWriter, element_writer
from fountainai.services.characters.config import CharactersSettings
from fountainai.services.characters.models import outbox
from fountainai.services.characters.placement import ScriptRefs

# Reads need `reader`, writes `writer`; one guard per route (see docs/AUTH_MODEL.md).
READER = Depends(require_role(Role.READER))
WRITER = Depends(require_role(Role.WRITER))

ElementWriterDep = Annotated[ElementWriter, Depends(element_writer(outbox))]


async def get_settings(request: Request) -> CharactersSettings:
    """Async on purpose: a plain function dependency costs a thread-pool hop per request."""
    settings: CharactersSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[CharactersSettings, Depends(get_settings)]


async def get_script_refs(scripts: ScriptsDep, credentials: ForwardedCredentials) -> ScriptRefs:
    return ScriptRefs(scripts, credentials)


ScriptRefsDep = Annotated[ScriptRefs, Depends(get_script_refs)]
