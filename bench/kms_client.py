"""The benchmarks' side of the KMS: the seed admin's bootstrap, logins, refresh-token rotation,
and a bearer token kept fresh for runs longer than its lifetime."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from sequence_alloc_server import BenchFailure

SEED_ADMIN = {"username": "admin", "password": "secure123"}  # the seed's first account
REFRESH_AT = 2 / 3  # of an access token's lifetime
RETRY_REFRESH_S = 5.0


@dataclass(frozen=True)
class Tokens:
    access: str
    refresh: str
    expires_in: float  # seconds, from ``received``
    received: float  # time.monotonic()

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


async def post_json(
    http: aiohttp.ClientSession,
    url: str,
    body: object,
    *,
    headers: dict[str, str] | None = None,
    expect: int = 200,
) -> Any:
    """POST ``body`` as JSON; anything but HTTP ``expect`` is a ``BenchFailure``."""
    async with http.post(url, json=body, headers=headers) as response:
        payload = await response.read()
    if response.status != expect:
        raise BenchFailure(f"POST {url}: HTTP {response.status} {payload[:300]!r}")
    return json.loads(payload) if payload else None


def _tokens(answer: dict[str, Any]) -> Tokens:
    if "access_token" not in answer:
        raise BenchFailure(f"the KMS answered no tokens: {answer!r}")
    return Tokens(
        access=answer["access_token"],
        refresh=answer["refresh_token"],
        expires_in=float(answer["expires_in"]),
        received=time.monotonic(),
    )


async def login(http: aiohttp.ClientSession, kms_url: str, username: str, password: str) -> Tokens:
    body = {"username": username, "password": password}
    return _tokens(await post_json(http, f"{kms_url}/login", body))


async def refresh(http: aiohttp.ClientSession, kms_url: str, refresh_token: str) -> Tokens:
    body = {"refresh_token": refresh_token}
    return _tokens(await post_json(http, f"{kms_url}/token/refresh", body))


async def bootstrap_admin(http: aiohttp.ClientSession, kms_url: str) -> Tokens:
    """Register the seed's admin (the very first account may ask for any role), then log in."""
    await post_json(http, f"{kms_url}/register", {**SEED_ADMIN, "roles": "admin"}, expect=201)
    return await login(http, kms_url, **SEED_ADMIN)


async def register(
    http: aiohttp.ClientSession,
    kms_url: str,
    admin: Tokens,
    username: str,
    password: str,
    roles: str,
) -> None:
    body = {"username": username, "password": password, "roles": roles}
    await post_json(http, f"{kms_url}/register", body, headers=admin.bearer, expect=201)


@dataclass
class BearerAuth:
    """Headers for JSON requests with a current access token. ``headers`` is replaced, never
    changed in place, when the token is refreshed, so a request reads one consistent dict."""

    tokens: Tokens
    headers: dict[str, str] = field(init=False)
    refreshes: int = 0
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.use(self.tokens)

    def use(self, tokens: Tokens) -> None:
        self.tokens = tokens
        self.headers = {"content-type": "application/json", **tokens.bearer}

    def refresh_in(self) -> float:
        age = time.monotonic() - self.tokens.received
        return max(1.0, self.tokens.expires_in * REFRESH_AT - age)


@contextlib.asynccontextmanager
async def kept_fresh(
    http: aiohttp.ClientSession, kms_url: str, tokens: Tokens
) -> AsyncIterator[BearerAuth]:
    """``BearerAuth`` for ``tokens``, rotated through ``POST /token/refresh`` in the background
    once two thirds of the access token's lifetime have passed (retried every 5 s on failure)."""
    auth = BearerAuth(tokens)

    async def keep() -> None:
        while True:
            await asyncio.sleep(auth.refresh_in())
            try:
                auth.use(await refresh(http, kms_url, auth.tokens.refresh))
                auth.refreshes += 1
            except (BenchFailure, aiohttp.ClientError, TimeoutError) as exc:
                auth.failures.append(f"token refresh: {exc}")
                await asyncio.sleep(RETRY_REFRESH_S)

    task = asyncio.create_task(keep())
    try:
        yield auth
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
