"""Refuse bodies above a byte limit with 413, announced by Content-Length or streamed."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fountainai.core.errors import PayloadTooLarge
from fountainai.core.middleware.watch import ResponseWatch, send_problem
from fountainai.core.problems import problem_body


class BodyTooLargeError(HTTPException):
    """An HTTPException so FastAPI's body parsing re-raises it instead of answering 400."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body exceeds {max_bytes} bytes.")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError(self.max_bytes)
            return message

        watch = ResponseWatch(send)
        try:
            await self.app(scope, counting_receive, watch)
        except BodyTooLargeError:
            if watch.started:
                raise
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = problem_body(
            status=PayloadTooLarge.status,
            title=PayloadTooLarge.title,
            type_uri=PayloadTooLarge.type_uri(),
            detail=f"The request body exceeds {self.max_bytes} bytes.",
            instance=scope.get("path"),
        )
        await send_problem(send, status=PayloadTooLarge.status, body=body, close=True)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
