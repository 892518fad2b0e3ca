"""One structured access-log line per request, with route template, status and duration."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Receive, Scope, Send

from fountainai.core.logging import get_logger
from fountainai.core.middleware.metrics import route_template
from fountainai.core.middleware.watch import ResponseWatch

log = get_logger("fountainai.access")


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp, *, skip_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.skip_paths = skip_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.skip_paths:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        watch = ResponseWatch(send)
        try:
            await self.app(scope, receive, watch)
        finally:
            client = scope.get("client")
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                route=route_template(scope),
                status=watch.status or 500,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
                client=client[0] if client else None,
            )
