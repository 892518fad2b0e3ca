"""A minimal service built by the real app factory, with one route per guard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, Depends, FastAPI

from fountainai.core import ServiceDefinition, ServiceSettings, create_service_app
from fountainai.core.auth import (
    AUTH_RESPONSES,
    AdminDep,
    Authenticator,
    CurrentPrincipal,
    Principal,
    ReaderDep,
    WriterDep,
    require_recent_otp,
    require_scope,
)

router = APIRouter(responses=AUTH_RESPONSES)


def describe(principal: Principal) -> dict[str, Any]:
    return {
        "subject": principal.subject,
        "kind": principal.kind,
        "actor": principal.actor,
        "roles": sorted(principal.roles),
        "scopes": sorted(principal.scopes),
    }


@router.get("/read")
async def read_story(principal: ReaderDep) -> dict[str, Any]:
    return describe(principal)


@router.get("/write")
async def write_story(principal: WriterDep) -> dict[str, Any]:
    return describe(principal)


@router.get("/admin")
async def administer(principal: AdminDep) -> dict[str, Any]:
    return describe(principal)


@router.get("/scoped")
async def write_scoped(
    principal: Annotated[Principal, Depends(require_scope("story:write"))],
) -> dict[str, Any]:
    return describe(principal)


@router.get("/stepped-up", dependencies=[Depends(require_recent_otp(300))])
async def purge_everything(principal: AdminDep) -> dict[str, Any]:
    return describe(principal)


@router.get("/me")
async def read_me(principal: CurrentPrincipal) -> dict[str, Any]:
    return describe(principal)


@router.get("/open")
async def read_open() -> dict[str, str]:
    return {"status": "ok"}


DEFINITION = ServiceDefinition(
    name="authprobe", title="Auth probe", description="test service", routers=lambda: [router]
)


def probe_settings(tmp_path: Path, **values: Any) -> ServiceSettings:
    return ServiceSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'probe.db'}", **values)


def build_app(tmp_path: Path, authenticator: Authenticator | None) -> FastAPI:
    app = create_service_app(DEFINITION, probe_settings(tmp_path))
    app.state.authenticator = authenticator
    return app


@asynccontextmanager
async def served(
    tmp_path: Path, authenticator: Authenticator | None
) -> AsyncIterator[httpx.AsyncClient]:
    """The probe app with ``authenticator`` pre-set, behind an in-process HTTP client."""
    app = build_app(tmp_path, authenticator)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=transport, base_url="http://probe.test") as client,
    ):
        yield client
