"""Every 2FA answer says ``Cache-Control: no-store``: secrets and tokens pass through here."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NO_STORE_HEADERS = ((b"cache-control", b"no-store"), (b"pragma", b"no-cache"))
_REPLACED = frozenset(name for name, _ in NO_STORE_HEADERS)


class NoStoreMiddleware:
    """Pure ASGI: replaces any caching headers of every HTTP answer, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in _REPLACED
                ]
                message = {**message, "headers": [*headers, *NO_STORE_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_no_store)
