"""What every typed client of a FountainAI service shares: one pooled ``ServiceClient``, calls
made with the caller's credentials and their failures mapped (``errors.translate``), and the
lifespan hook + FastAPI dependency that keep one started client on ``app.state``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, ClassVar, Self, TypeVar

import aiohttp
from fastapi import FastAPI, Request

from fountainai.core.clients.errors import translate
from fountainai.core.config import ServiceSettings
from fountainai.core.errors import UpstreamUnavailable
from fountainai.core.http import DEFAULT_TIMEOUT, RetryPolicy, ServiceClient, UpstreamError
from fountainai.core.schemas import Page

T = TypeVar("T")
ClientT = TypeVar("ClientT", bound="TypedClient")
LifespanHook = Callable[[FastAPI, ServiceSettings], AbstractAsyncContextManager[None]]


class TypedClient:
    """A service over one pooled ``ServiceClient``; create in the lifespan, keep on state."""

    service_name: ClassVar[str]

    def __init__(
        self,
        base_url: str,
        *,
        timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        max_connections: int = 100,
    ) -> None:
        self.http = ServiceClient(
            base_url,
            timeout=timeout,
            retry=retry,
            max_connections=max_connections,
            name=self.service_name,
        )

    async def start(self) -> None:
        await self.http.start()

    async def close(self) -> None:
        await self.http.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _call(
        self,
        method: str,
        path: str,
        *,
        model: type[T],
        credentials: Mapping[str, str],
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        idempotent: bool | None = None,
        content: bytes | None = None,
        content_type: str = "application/octet-stream",
    ) -> T:
        """The answer validated into ``model``; the body is ``json`` (encoded) or ``content``
        (sent as is, as ``content_type``)."""
        return await self._mapped(
            self.http.request_json(
                method,
                path,
                model=model,
                json=json,
                params=params,
                headers=credentials,
                idempotent=idempotent,
                content=content,
                content_type=content_type,
            )
        )

    async def _send(
        self,
        method: str,
        path: str,
        *,
        credentials: Mapping[str, str],
        params: Mapping[str, str | int] | None = None,
        idempotent: bool | None = None,
    ) -> None:
        """A call answered without a body (204), failures mapped like ``_call``'s."""
        await self._mapped(
            self.http.request(
                method, path, params=params, headers=credentials, idempotent=idempotent
            )
        )

    async def _every(
        self,
        path: str,
        page_model: type[Page[T]],
        *,
        filters: Mapping[str, str | int],
        page_size: int,
        credentials: Mapping[str, str],
    ) -> list[T]:
        """Every item of a listing, fetched ``page_size`` at a time (each page a separate read:
        a write between two of them may skew the result)."""
        items: list[T] = []
        while True:
            page = await self._call(
                "GET",
                path,
                model=page_model,
                credentials=credentials,
                params={**filters, "limit": page_size, "offset": len(items)},
            )
            items.extend(page.items)
            if not page.items or len(items) >= page.total_count:
                return items

    async def _mapped(self, pending: Awaitable[T]) -> T:
        """``pending``'s answer, its failure mapped (``errors.translate``) for this service."""
        try:
            return await pending
        except (UpstreamError, UpstreamUnavailable) as exc:
            mapped = translate(exc, service=self.service_name)
            if mapped is exc:
                raise
            raise mapped from exc


def client_hook(client_type: type[TypedClient], *, state: str, url_setting: str) -> LifespanHook:
    """Lifespan hook: a started ``client_type`` for ``settings.<url_setting>`` on
    ``app.state.<state>``, closed at shutdown. One already there (a test's) is left as it is."""

    @asynccontextmanager
    async def hook(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
        if getattr(app.state, state, None) is not None:
            yield
            return
        client = client_type(getattr(settings, url_setting))
        await client.start()
        setattr(app.state, state, client)
        try:
            yield
        finally:
            setattr(app.state, state, None)
            await client.close()

    return hook


def client_dependency(
    client_type: type[ClientT], *, state: str, hook_name: str
) -> Callable[[Request], Awaitable[ClientT]]:
    """FastAPI dependency: the app's ``client_type`` (its lifespan hook must be installed)."""

    async def dependency(request: Request) -> ClientT:
        client: ClientT | None = getattr(request.app.state, state, None)
        if client is None:
            raise RuntimeError(f"no app.state.{state}: add the {hook_name} lifespan hook")
        return client

    return dependency
