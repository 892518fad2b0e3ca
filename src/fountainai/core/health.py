"""Liveness (no I/O) and readiness (every registered dependency check, 503 on failure)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from fountainai.core.errors import PROBLEM_TYPE_BASE, ServiceUnavailable
from fountainai.core.logging import get_logger
from fountainai.core.problems import problem_response

ReadinessCheck = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_SECONDS = 2.0

log = get_logger(__name__)
router = APIRouter(tags=["health"])


def database_check(engine: AsyncEngine) -> ReadinessCheck:
    async def check() -> None:
        async with engine.connect() as conn:
            probe = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await probe.execute(text("SELECT 1"))

    return check


async def _run(name: str, check: ReadinessCheck) -> tuple[str, str | None]:
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means not ready; the type is enough to diagnose
        log.warning("readiness_check_failed", check=name, error=type(exc).__name__)
        return name, type(exc).__name__
    return name, None


@router.get("/health/live", summary="The process is up (no I/O).", operation_id="getLiveness")
async def get_liveness() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/health/ready",
    summary="Every dependency (database, ...) answers; 503 otherwise.",
    operation_id="getReadiness",
    responses={
        503: {
            "description": "A dependency is down; `checks` names it.",
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    },
)
async def get_readiness(request: Request) -> Response:
    checks: dict[str, ReadinessCheck] = request.app.state.readiness_checks
    results = await asyncio.gather(*(_run(name, check) for name, check in checks.items()))
    report: dict[str, Any] = {name: error or "ok" for name, error in results}
    if any(error for _, error in results):
        return problem_response(
            status=ServiceUnavailable.status,
            title="Not ready",
            type_uri=PROBLEM_TYPE_BASE + "not-ready",
            detail="A dependency check failed.",
            instance=request.url.path,
            extra={"checks": report},
        )
    return JSONResponse({"status": "ok", "checks": report})
