"""A real HTTP server on 127.0.0.1 (aiohttp) that sends every request to one ``handle`` method.

Stand-ins for another service (the KMS, the 2FA service) subclass it and answer what a test
needs; they run in the test's event loop, so tests can change their answers between calls.
"""

from __future__ import annotations

from typing import Self

from aiohttp import web


class FakeServer:
    url: str = ""
    client_max_size: int = 1024**2  # aiohttp's default: larger request bodies get 413
    _runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        app = web.Application(client_max_size=self.client_max_size)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
