"""Dependencies shared by the service's endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fountainai.services.sessions.config import SessionsSettings


async def get_settings(request: Request) -> SessionsSettings:
    """Async on purpose: a plain function dependency costs a thread-pool hop per request."""
    settings: SessionsSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[SessionsSettings, Depends(get_settings)]
