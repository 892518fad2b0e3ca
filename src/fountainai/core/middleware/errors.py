"""Any exception that escaped the app becomes a 500 problem without internals, logged."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fountainai.core.errors import PROBLEM_JSON, PROBLEM_TYPE_BASE
from fountainai.core.logging import get_logger
from fountainai.core.problems import problem_body

log = get_logger(__name__)


class UnhandledErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled_error", path=scope.get("path"), method=scope.get("method"))
            if started:
                raise
            body = problem_body(
                status=500,
                title="Internal server error",
                type_uri=PROBLEM_TYPE_BASE + "internal-error",
                detail="The server failed to handle this request; it has been logged.",
                instance=scope.get("path"),
            )
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", PROBLEM_JSON.encode()),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
