"""Dependencies shared by the service's endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fountainai.services.sequence.config import SequenceSettings


async def get_settings(request: Request) -> SequenceSettings:
    """Async on purpose: a plain function dependency costs a thread-pool hop per request."""
    settings: SequenceSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[SequenceSettings, Depends(get_settings)]
