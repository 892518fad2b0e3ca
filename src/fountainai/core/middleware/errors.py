"""Any exception that escaped the app becomes a 500 problem without internals, logged."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from fountainai.core.errors import PROBLEM_TYPE_BASE
from fountainai.core.logging import get_logger
from fountainai.core.middleware.watch import ResponseWatch, send_problem
from fountainai.core.problems import problem_body

log = get_logger(__name__)


class UnhandledErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watch = ResponseWatch(send)
        try:
            await self.app(scope, receive, watch)
        except Exception:
            log.exception("unhandled_error", path=scope.get("path"), method=scope.get("method"))
            if watch.started:
                raise
            body = problem_body(
                status=500,
                title="Internal server error",
                type_uri=PROBLEM_TYPE_BASE + "internal-error",
                detail="The server failed to handle this request; it has been logged.",
                instance=scope.get("path"),
            )
            await send_problem(send, status=500, body=body)
