"""Refuse a path or query string that decodes to NUL or to bytes that are not UTF-8 (400).

Bodies are checked by ``StorableInput``; this covers the URL, whose parameters reach queries
too (``?actor=a%00b`` would otherwise be a PostgreSQL error, a 500).
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

from fountainai.core.errors import BadRequest
from fountainai.core.middleware.watch import send_problem
from fountainai.core.problems import problem_body

DETAIL = "The URL must be UTF-8 without NUL characters (%00)."


class UnstorableUrlMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not _storable_url(scope):
            body = problem_body(
                status=BadRequest.status,
                title=BadRequest.title,
                type_uri=BadRequest.type_uri(),
                detail=DETAIL,
                instance=None,
            )
            await send_problem(send, status=BadRequest.status, body=body)
            return
        await self.app(scope, receive, send)


def _storable_url(scope: Scope) -> bool:
    raw_path: bytes = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "replace")
    query: bytes = scope.get("query_string", b"")
    for part in (raw_path, query.replace(b"+", b" ")):
        decoded = unquote_to_bytes(part)
        if b"\x00" in decoded:
            return False
        try:
            decoded.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True
