"""What the gateway's own middleware stack would do for a proxied request, in one ``send``
wrapper instead of four layers (the proxy path is the hot path): the request ID on the answer,
the security headers an upstream did not set, and the status for the access log."""

from __future__ import annotations

import uuid
from typing import Final

from starlette.types import Message, Send

from fountainai.core.middleware.request_id import incoming_request_id
from fountainai.core.middleware.security_headers import API_SECURITY_HEADERS, HSTS_HEADER
from fountainai.gateway.forwarding import Header

_REQUEST_ID: Final = b"x-request-id"

__all__ = ["EdgeSend", "incoming_request_id", "new_request_id"]


def new_request_id() -> str:
    return uuid.uuid4().hex


class EdgeSend:
    """Wraps the server's ``send`` for one request; ``status`` is set once the answer starts."""

    __slots__ = ("_defaults", "_id_header", "send", "status")

    def __init__(self, send: Send, request_id: str, *, hsts: bool) -> None:
        self.send = send
        self.status: int | None = None
        self._id_header = (_REQUEST_ID, request_id.encode("ascii"))
        self._defaults = (*API_SECURITY_HEADERS, HSTS_HEADER) if hsts else API_SECURITY_HEADERS

    @property
    def started(self) -> bool:
        return self.status is not None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            message["headers"] = self._finished(message.get("headers", ()))
        await self.send(message)

    def _finished(self, headers: list[Header]) -> list[Header]:
        present = {name for name, _ in headers}
        kept = [header for header in headers if header[0] != _REQUEST_ID]
        kept.append(self._id_header)
        kept.extend(header for header in self._defaults if header[0] not in present)
        return kept
