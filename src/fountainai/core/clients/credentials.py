"""Passing the end caller's own credential on to another service, and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Final

from fastapi import Depends, Request

AUTHORIZATION: Final = "Authorization"
API_KEY: Final = "X-API-Key"


def forwarded_credentials(headers: Mapping[str, str]) -> dict[str, str]:
    """The one auth header to send on: ``Authorization`` if present, else ``X-API-Key``; empty if
    neither. Names match case-insensitively; every other header stays behind."""
    found = {name.lower(): value for name, value in headers.items()}
    for name in (AUTHORIZATION, API_KEY):
        value = found.get(name.lower())
        if value is not None:
            return {name: value}
    return {}


async def request_credentials(request: Request) -> dict[str, str]:
    """FastAPI dependency: this request's credential, ready to forward."""
    return forwarded_credentials(request.headers)


ForwardedCredentials = Annotated[dict[str, str], Depends(request_credentials)]
