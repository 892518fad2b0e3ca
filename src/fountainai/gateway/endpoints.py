"""The gateway's own endpoints: health (live, ready, deep per-upstream state), metrics, the
aggregated OpenAPI and its docs page, and ``/secure-endpoint`` (who the gateway says you are)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import Field

from fountainai.core.errors import PROBLEM_TYPE_BASE, ServiceUnavailable
from fountainai.core.problems import problem_response
from fountainai.core.schemas import ApiModel
from fountainai.gateway.components import Components
from fountainai.gateway.routes import AUTHENTICATED

router = APIRouter()
REDIS_PING_TIMEOUT = 1.0


class Identity(ApiModel):
    """The caller, as the gateway authenticated them."""

    subject: str
    kind: str = Field(description="user (access token) or service (API key).")
    username: str | None = None
    roles: list[str]
    scopes: list[str]
    amr: list[str] = Field(description="How the user authenticated, e.g. pwd, otp.")
    token_id: str | None = Field(description="The token's jti, or the API key's prefix.")
    expires_at: int | None = None


def _components(request: Request) -> Components:
    components: Components | None = getattr(request.app.state, "components", None)
    if components is None:
        raise ServiceUnavailable("The gateway is starting or stopping.")
    return components


@router.get("/health/live", tags=["health"], operation_id="getLiveness")
async def get_liveness() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready", tags=["health"], operation_id="getReadiness")
async def get_readiness(request: Request) -> Response:
    """Ready when its shared store (Redis, if configured) answers. A service with no healthy
    target does not make the gateway unready (it still serves the others): ``upstreams`` shows
    it, and ``/health/services`` has the detail."""
    components = _components(request)
    checks: dict[str, str] = {}
    if components.redis is not None:
        try:
            await asyncio.wait_for(components.redis.ping(), REDIS_PING_TIMEOUT)
            checks["redis"] = "ok"
        except Exception as exc:  # any failure is "not ready"; its type is the diagnosis
            checks["redis"] = type(exc).__name__
    upstreams = {
        service: "ok" if any(target.available for target in pool.targets) else "down"
        for service, pool in components.pools.items()
    }
    if any(value != "ok" for value in checks.values()):
        return problem_response(
            status=503,
            title="Not ready",
            type_uri=PROBLEM_TYPE_BASE + "not-ready",
            detail="A dependency check failed; see checks.",
            instance=request.url.path,
            extra={"checks": checks, "upstreams": upstreams},
        )
    return JSONResponse({"status": "ok", "checks": checks, "upstreams": upstreams})


@router.get("/health/services", tags=["health"], operation_id="getServicesHealth")
async def get_services_health(request: Request) -> dict[str, Any]:
    """Every upstream target: active health, circuit state, recent failures, last check."""
    components = _components(request)
    return {
        "services": {
            service: {
                "healthy": any(target.available for target in pool.targets),
                "targets": pool.snapshot(),
            }
            for service, pool in components.pools.items()
        }
    }


@router.get("/metrics", tags=["health"], operation_id="getMetrics")
async def get_metrics(request: Request) -> Response:
    return Response(
        generate_latest(request.app.state.metrics_registry), media_type=CONTENT_TYPE_LATEST
    )


@router.get("/openapi.json", include_in_schema=False)
async def get_openapi(request: Request) -> JSONResponse:
    """Every service's API under its gateway prefix, in one OpenAPI document."""
    return JSONResponse(await _components(request).openapi.document())


@router.get("/docs", include_in_schema=False)
async def get_docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="FountainAI API")


@router.get("/secure-endpoint", tags=["auth"], operation_id="getSecureEndpoint")
async def secure_endpoint(request: Request) -> Identity:
    """Answers only an authenticated caller, with who the gateway says they are."""
    principal = await _components(request).auth.authorize(AUTHENTICATED, request.headers.raw)
    assert principal is not None  # AUTHENTICATED is not public
    return Identity(
        subject=principal.subject,
        kind=principal.kind,
        username=principal.username,
        roles=sorted(principal.roles),
        scopes=sorted(principal.scopes),
        amr=list(principal.amr),
        token_id=principal.token_id,
        expires_at=principal.expires_at,
    )
