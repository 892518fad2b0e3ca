"""Shared pieces of the pure-ASGI middleware: watch a response go out, send a problem directly."""

from __future__ import annotations

from starlette.types import Message, Send

from fountainai.core.errors import PROBLEM_JSON


class ResponseWatch:
    """A ``send`` wrapper that remembers the status once the response has started."""

    __slots__ = ("send", "status")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status: int | None = None

    @property
    def started(self) -> bool:
        return self.status is not None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self.send(message)


async def send_problem(send: Send, *, status: int, body: bytes, close: bool = False) -> None:
    """Answer with a rendered problem from middleware, outside FastAPI's exception handlers."""
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
