"""Putting one ``SessionsClient`` on ``app.state.sessions`` for the app's lifetime."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fountainai.core.clients.base import client_dependency, client_hook
from fountainai.core.clients.sessions.client import SessionsClient

sessions_client = client_hook(SessionsClient, state="sessions", url_setting="sessions_url")
get_sessions_client = client_dependency(
    SessionsClient, state="sessions", hook_name="sessions_client"
)
SessionsDep = Annotated[SessionsClient, Depends(get_sessions_client)]
