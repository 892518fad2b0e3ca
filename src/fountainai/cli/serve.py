"""``fountain serve <service>``: one service under uvicorn."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

import fountainai
from fountainai.cli import lifeline, output
from fountainai.cli.common import (
    GATEWAY,
    GATEWAY_ENV_PREFIX,
    GATEWAY_FACTORY,
    USAGE_ERROR,
    ServiceArg,
    env_prefix,
    get_service,
    load_gateway_settings,
    load_settings,
)
from fountainai.core import PlatformSettings


def serve(
    service: ServiceArg,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Default: the service's port setting (e.g. 8000)."),
    ] = None,
    host: Annotated[
        str | None, typer.Option(help="Interface to bind. Default: the service's host setting.")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[
        bool, typer.Option("--reload", help="Restart on code changes (development).")
    ] = False,
    lifeline_fd: Annotated[
        int | None, typer.Option(lifeline.OPTION, hidden=True, help="Set by `fountain up`.")
    ] = None,
) -> None:
    """Run one service (or the gateway: `fountain serve gateway`) with uvicorn."""
    if reload and workers > 1:
        output.error("--reload and --workers are mutually exclusive.")
        raise typer.Exit(USAGE_ERROR)
    if service == GATEWAY:
        settings: PlatformSettings = load_gateway_settings()
        factory_path, prefix = GATEWAY_FACTORY, GATEWAY_ENV_PREFIX
    else:
        entry = get_service(service)
        settings = load_settings(entry)
        factory_path, prefix = entry.factory_path, env_prefix(entry)
    bind_host = host or settings.host
    bind_port = port or settings.effective_port
    # The app (and every worker or reloaded process) builds its own settings from the
    # environment: export what the command line chose so they agree on where they listen.
    os.environ[f"{prefix}HOST"] = bind_host
    os.environ[f"{prefix}PORT"] = str(bind_port)
    if lifeline_fd is not None:
        lifeline.watch(lifeline_fd)
    uvicorn.run(
        factory_path,
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=None if reload else workers,
        reload=reload,
        reload_dirs=[str(Path(fountainai.__file__).parent)] if reload else None,
        log_level=settings.log_level.lower(),
        # The gateway reads X-Forwarded-* itself (only from its trusted proxies) and must see
        # the real peer; services trust the gateway's (uvicorn's default, 127.0.0.1).
        proxy_headers=service != GATEWAY,
    )
