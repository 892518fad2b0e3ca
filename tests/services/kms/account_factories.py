"""Small typed helpers the account tests share: register, log in, refresh, read stored rows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
import jwt
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import select, update

from fountainai.services.kms.app import create_app
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import AuditEvent, User
from tests.services.kms.conftest import API, STEPPED_UP, bearer, mint_token

SEED = {"username": "admin", "password": "secure123", "roles": "admin"}
PASSWORD = "correct horse battery"
LOGIN_FAILED = "Invalid username or password."


async def register(
    client: httpx.AsyncClient,
    username: str,
    password: str = PASSWORD,
    *,
    roles: Sequence[str] | str | None = None,
    headers: dict[str, str] | None = None,
    expect: int = 201,
) -> dict[str, Any]:
    body: dict[str, Any] = {"username": username, "password": password}
    if roles is not None:
        body["roles"] = roles if isinstance(roles, str) else list(roles)
    response = await client.post(f"{API}/register", json=body, headers=headers)
    assert response.status_code == expect, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post(f"{API}/login", json={"username": username, "password": password})


async def tokens(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> dict[str, Any]:
    response = await login(client, username, password)
    assert response.status_code == 200, response.text
    pair: dict[str, Any] = response.json()
    return pair


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post(f"{API}/token/refresh", json={"refresh_token": refresh_token})


async def bootstrap_admin(client: httpx.AsyncClient) -> dict[str, str]:
    """The seed's admin, registered and logged in: its bearer headers."""
    await register(client, SEED["username"], SEED["password"], roles=SEED["roles"])
    pair = await tokens(client, SEED["username"], SEED["password"])
    return bearer(pair["access_token"])


async def stepped_up(app: FastAPI, headers: dict[str, str]) -> dict[str, str]:
    """The same account's headers after a second factor just now (as 2FA's step-up gives)."""
    token = claims(headers["Authorization"].removeprefix("Bearer "))
    stepped = await mint_token(
        app,
        roles=token["roles"],
        subject=token["sub"],
        username=token["preferred_username"],
        amr=STEPPED_UP,
    )
    return bearer(stepped)


async def user_with_tokens(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    username: str,
    roles: Sequence[str] = ("reader",),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An account made by the admin, and a fresh login of it."""
    user = await register(client, username, roles=roles, headers=admin)
    return user, await tokens(client, username)


def fullwidth(text: str) -> str:
    """``admin`` -> the fullwidth look-alike that NFKC folds back to ``admin``."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


def claims(access_token: str) -> dict[str, Any]:
    """The payload of one of our own tokens (the signature is the verifier's tests' business)."""
    payload: dict[str, Any] = jwt.decode(access_token, options={"verify_signature": False})
    return payload


async def me(client: httpx.AsyncClient, access_token: str) -> httpx.Response:
    return await client.get(f"{API}/users/me", headers=bearer(access_token))


async def audit_rows(app: FastAPI, event: str | None = None) -> list[AuditEvent]:
    async with app.state.sessionmaker() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if event is not None:
            query = query.where(AuditEvent.event == event)
        return list(await session.scalars(query))


async def stored_user(app: FastAPI, username: str) -> User:
    async with app.state.sessionmaker() as session:
        user: User = (await session.scalars(select(User).where(User.username == username))).one()
        return user


async def update_rows(app: FastAPI, model: Any, *where: Any, **values: Any) -> None:
    """Move rows through time or state by editing them (``expires_at``, ``used_at`` ...)."""
    async with app.state.sessionmaker() as session:
        await session.execute(update(model).where(*where).values(**values))
        await session.commit()


def client_from(app: FastAPI, ip: str) -> httpx.AsyncClient:
    """A client whose requests come from ``ip`` (throttling is per address)."""
    transport = httpx.ASGITransport(app=app, client=(ip, 1234))
    return httpx.AsyncClient(transport=transport, base_url="http://kms.test")


@asynccontextmanager
async def kms_app(settings: KmsSettings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """A KMS app of its own, for settings other than the fixture's."""
    application = create_app(settings)
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://kms.test") as client:
            yield application, client
