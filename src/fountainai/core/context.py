"""Per-request context shared by logs, errors and outgoing calls."""

from __future__ import annotations

from contextvars import ContextVar, Token

_request_id: ContextVar[str | None] = ContextVar("fountain_request_id", default=None)


def current_request_id() -> str | None:
    """The ID of the request being served, or None outside a request."""
    return _request_id.get()


def bind_request_id(request_id: str | None) -> Token[str | None]:
    """Bind a request ID to the current context; pass the token to :func:`unbind_request_id`."""
    return _request_id.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _request_id.reset(token)
