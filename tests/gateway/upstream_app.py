"""A tiny upstream for the gateway's process tests, run as
``python -m uvicorn tests.gateway.upstream_app:create_app --factory``: ``/health/ready`` answers
200, ``/health/down`` 503, ``/echo`` sends the request body back; every answer names the
serving process in ``X-Upstream-Pid``."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def _pid_header() -> dict[str, str]:
    return {"X-Upstream-Pid": str(os.getpid())}


async def ready(_: Request) -> Response:
    return JSONResponse({"status": "ready"}, headers=_pid_header())


async def down(_: Request) -> Response:
    return JSONResponse({"status": "down"}, status_code=503, headers=_pid_header())


async def echo(request: Request) -> Response:
    media_type = request.headers.get("content-type", "application/octet-stream")
    return Response(await request.body(), media_type=media_type, headers=_pid_header())


def create_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/health/ready", ready),
            Route("/health/down", down),
            Route("/echo", echo, methods=["GET", "POST", "PUT"]),
        ]
    )
