"""``create_service_app``: the one factory every service's ``create_app(settings)`` calls."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker

from fountainai import __version__
from fountainai.core.auth.remote import remote_authenticator
from fountainai.core.config import ServiceSettings
from fountainai.core.db import Migrations, create_engine, is_sqlite
from fountainai.core.errors import Problem
from fountainai.core.health import ReadinessCheck, database_check
from fountainai.core.health import router as health_router
from fountainai.core.logging import configure_logging, get_logger
from fountainai.core.metrics import new_registry
from fountainai.core.metrics import router as metrics_router
from fountainai.core.middleware import (
    AccessLogMiddleware,
    BodyLimitMiddleware,
    MetricsMiddleware,
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
    UnhandledErrorMiddleware,
    UnstorableUrlMiddleware,
)
from fountainai.core.middleware.metrics import HttpMetrics
from fountainai.core.problems import install_error_handlers

API_PREFIX = "/api/v1"
_QUIET_PATHS = frozenset({"/health/live", "/health/ready", "/metrics"})

LifespanHook = Callable[[FastAPI, ServiceSettings], AbstractAsyncContextManager[None]]
"""A service's own lifespan resources: entered once the engine and readiness checks exist; it
may set ``app.state.authenticator`` and add to ``app.state.readiness_checks``."""

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_PROBLEM_CONTENT = {"application/problem+json": {"schema": _PROBLEM_REF}}
DEFAULT_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed request (e.g. invalid JSON)", "content": _PROBLEM_CONTENT},
    413: {"description": "Request body too large", "content": _PROBLEM_CONTENT},
    415: {"description": "Body is not JSON (send application/json)", "content": _PROBLEM_CONTENT},
    422: {"description": "Invalid input; `errors` lists the fields", "content": _PROBLEM_CONTENT},
    500: {"description": "Internal error (no internals disclosed)", "content": _PROBLEM_CONTENT},
}


@dataclass(frozen=True)
class ServiceDefinition:
    """What the factory needs to know about a service."""

    name: str
    title: str
    description: str
    routers: Callable[[], Sequence[APIRouter]]
    migrations: Migrations | None = None
    openapi_tags: list[dict[str, str]] = field(default_factory=list)
    root_routers: Callable[[], Sequence[APIRouter]] | None = None  # mounted at /, no prefix
    lifespan_hooks: tuple[LifespanHook, ...] = ()


def create_service_app(definition: ServiceDefinition, settings: ServiceSettings) -> FastAPI:
    configure_logging(service=definition.name, level=settings.log_level, json=settings.log_json)
    log = get_logger("fountainai.app", service=definition.name)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(
            settings.effective_database_url,
            pool_size=settings.database_pool_size,
            echo=settings.database_echo,
        )
        if definition.migrations is not None and settings.auto_migrate:
            await definition.migrations.upgrade(engine)
        app.state.engine = engine
        app.state.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        app.state.database_lock = asyncio.Lock() if is_sqlite(str(engine.url)) else None
        checks: dict[str, ReadinessCheck] = {"database": database_check(engine)}
        app.state.readiness_checks = checks
        try:
            async with AsyncExitStack() as stack:
                for hook in definition.lifespan_hooks:
                    await stack.enter_async_context(hook(app, settings))
                if getattr(app.state, "authenticator", None) is None:
                    # Pre-set (tests) or set by a hook wins; this one fetches only when used.
                    app.state.authenticator = await stack.enter_async_context(
                        remote_authenticator(settings)
                    )
                    stack.callback(setattr, app.state, "authenticator", None)
                log.info(
                    "service_started",
                    port=settings.effective_port,
                    database=engine.url.drivername,
                )
                yield
        finally:
            await engine.dispose()
            log.info("service_stopped")

    app = FastAPI(
        title=definition.title,
        description=definition.description,
        version=__version__,
        lifespan=lifespan,
        openapi_tags=definition.openapi_tags or None,
        separate_input_output_schemas=False,
    )
    app.state.settings = settings
    app.state.metrics_registry = registry = new_registry()
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(metrics_router)
    for router in definition.root_routers() if definition.root_routers else ():
        app.include_router(router)
    api = APIRouter(prefix=API_PREFIX, responses=DEFAULT_RESPONSES)
    for router in definition.routers():
        api.include_router(router)
    app.include_router(api)
    _register_problem_schema(app)

    # Added innermost first: the request ID wraps everything, so every log line and answer has it.
    app.add_middleware(UnstorableUrlMiddleware)
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.hsts)
    app.add_middleware(AccessLogMiddleware, skip_paths=_QUIET_PATHS)
    app.add_middleware(MetricsMiddleware, metrics=HttpMetrics(registry))
    app.add_middleware(RequestIdMiddleware)
    return app


def _register_problem_schema(app: FastAPI) -> None:
    """Put ``Problem`` in components/schemas so every ``$ref`` to it resolves."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
