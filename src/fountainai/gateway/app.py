"""``create_app()``: the gateway as one ASGI app. Requests under a route's prefix (or host) go
through the proxy pipeline; the rest are the gateway's own endpoints (health, metrics, the
aggregated OpenAPI, ``/secure-endpoint``). Pure ASGI middleware only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from fountainai import __version__
from fountainai.core.logging import configure_logging, get_logger
from fountainai.core.metrics import new_registry
from fountainai.core.middleware import (
    AccessLogMiddleware,
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
    UnhandledErrorMiddleware,
)
from fountainai.core.problems import install_error_handlers
from fountainai.gateway.components import open_components
from fountainai.gateway.config import GatewaySettings, comma_list
from fountainai.gateway.defaults import load_routes
from fountainai.gateway.endpoints import router
from fountainai.gateway.metrics import GatewayMetrics
from fountainai.gateway.proxy import Proxy, match
from fountainai.gateway.routes import RouteTable

_QUIET_PATHS = frozenset({"/health/live", "/health/ready", "/metrics"})
log = get_logger("fountainai.gateway")


class GatewayApp:
    """Dispatch: a routed request straight to the proxy (which does the request ID, security
    headers, access log and error handling itself: the hot path), anything else to the
    gateway's own app behind the usual middleware."""

    def __init__(self, own: FastAPI, stacked: ASGIApp, table: RouteTable) -> None:
        self.own = own
        self.stacked = stacked
        self.table = table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            found = match(self.table, scope)
            proxy: Proxy | None = self.own.state.proxy
            if found is not None and proxy is not None:
                await proxy.handle(found, scope, receive, send)
                return
        await self.stacked(scope, receive, send)


def _own_openapi(app: FastAPI) -> dict[str, Any]:
    """The gateway's own endpoints, for the aggregated document (the page itself excluded)."""
    return get_openapi(title=app.title, version=app.version, routes=app.routes)


def create_app(settings: GatewaySettings | None = None) -> ASGIApp:
    settings = settings or GatewaySettings()
    configure_logging(service="gateway", level=settings.log_level, json=settings.log_json)
    table = load_routes(settings)
    registry = new_registry()
    metrics = GatewayMetrics(registry)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            components = await stack.enter_async_context(
                open_components(settings, table, metrics, _own_openapi(app))
            )
            app.state.components = components
            app.state.proxy = components.proxy
            log.info(
                "gateway_started",
                port=settings.effective_port,
                routes=[route.service for route in table.routes],
                store="redis" if settings.redis_url else "in-process",
            )
            try:
                yield
            finally:
                app.state.proxy = None
                log.info("gateway_stopped")

    own = FastAPI(
        title="FountainAI gateway",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    own.state.settings = settings
    own.state.table = table
    own.state.metrics = metrics
    own.state.metrics_registry = registry
    own.state.proxy = None
    install_error_handlers(own)
    own.include_router(router)

    stacked: ASGIApp = UnhandledErrorMiddleware(own)
    stacked = SecurityHeadersMiddleware(stacked, hsts=settings.hsts)
    stacked = AccessLogMiddleware(stacked, skip_paths=_QUIET_PATHS)
    app: ASGIApp = GatewayApp(own, RequestIdMiddleware(stacked), table)
    if settings.cors_origins:
        app = CORSMiddleware(
            app,
            allow_origins=list(comma_list(settings.cors_origins)),
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["authorization", "content-type", "x-api-key", "x-request-id"],
            expose_headers=["x-request-id", "ratelimit", "ratelimit-policy", "retry-after"],
            max_age=600,
        )
    return app
