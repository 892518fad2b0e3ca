"""Typed client of the Sessions service: users' working sessions, and the context (key/value
state, with its history) of any story element."""

from fountainai.core.clients.sessions.client import SessionsClient
from fountainai.core.clients.sessions.models import (
    Context,
    ContextChange,
    SessionSort,
    WorkSession,
)
from fountainai.core.clients.sessions.wiring import (
    SessionsDep,
    get_sessions_client,
    sessions_client,
)

__all__ = [
    "Context",
    "ContextChange",
    "SessionSort",
    "SessionsClient",
    "SessionsDep",
    "WorkSession",
    "get_sessions_client",
    "sessions_client",
]
