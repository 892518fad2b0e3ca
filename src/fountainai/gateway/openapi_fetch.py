"""Fetching one service's OpenAPI document for the aggregated one: ``None`` (logged) rather than
an error when the service is down, slow, or answers with something that is not a document."""

from __future__ import annotations

from typing import Any

import aiohttp
import orjson

from fountainai.core import get_logger

__all__ = ["fetch_openapi", "looks_like_openapi"]

log = get_logger(__name__)


async def fetch_openapi(
    session: aiohttp.ClientSession, url: str, *, client_timeout: aiohttp.ClientTimeout
) -> dict[str, Any] | None:
    """The document at ``url``, or ``None`` if none usable came back within ``client_timeout``."""
    try:
        async with session.get(url, timeout=client_timeout, allow_redirects=False) as response:
            if response.status != 200:
                log.warning("openapi_fetch_failed", url=url, status=response.status)
                return None
            body = await response.read()
        spec: Any = orjson.loads(body)
    except (aiohttp.ClientError, TimeoutError, orjson.JSONDecodeError) as exc:
        log.warning("openapi_fetch_failed", url=url, error=repr(exc))
        return None
    if not looks_like_openapi(spec):
        log.warning("openapi_fetch_failed", url=url, error="not an OpenAPI 3 document")
        return None
    document: dict[str, Any] = spec
    return document


def looks_like_openapi(spec: Any) -> bool:
    """Shaped enough to aggregate: a 3.x document whose ``info``, ``paths`` and component
    sections are mappings, and whose path items and components are too."""
    if not isinstance(spec, dict) or not str(spec.get("openapi", "")).startswith("3."):
        return False
    info, paths, components = (spec.get(key, {}) for key in ("info", "paths", "components"))
    if not all(isinstance(part, dict) for part in (info, paths, components)):
        return False
    return all(
        isinstance(section, dict) and all(isinstance(item, dict) for item in section.values())
        for section in (paths, *components.values())
    )
