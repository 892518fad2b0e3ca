"""Helpers the two-factor tests share: an MFA account, its ticket, the 2FA service's API key."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from fountainai.core.auth import MFA_ASSERT_SCOPE
from fountainai.services.kms.apikeys.service import Actor, ApiKeyService
from fountainai.services.kms.models import MfaTicket, RefreshFamily, User
from tests.services.kms.account_factories import login, register, update_rows
from tests.services.kms.conftest import API

MFA_LOGIN = f"{API}/login/mfa"
MFA_CODE = f"{API}/login/mfa/code"
INTERNAL = f"{API}/internal/mfa"


async def mfa_user(app: FastAPI, client: httpx.AsyncClient, username: str = "alice") -> str:
    """An account with a second factor (as 2FA's confirm sets it); its id."""
    user = await register(client, username)
    await update_rows(app, User, User.id == user["id"], mfa_enabled=True)
    user_id: str = user["id"]
    return user_id


async def ticket_for(client: httpx.AsyncClient, username: str = "alice") -> str:
    response = await login(client, username)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["mfa_required"] is True, body
    ticket: str = body["ticket"]
    return ticket


async def complete(client: httpx.AsyncClient, ticket: str, code: str) -> httpx.Response:
    return await client.post(MFA_LOGIN, json={"ticket": ticket, "code": code})


async def stored_tickets(app: FastAPI) -> list[MfaTicket]:
    async with app.state.sessionmaker() as session:
        return list(await session.scalars(select(MfaTicket).order_by(MfaTicket.created_at)))


async def families(app: FastAPI) -> int:
    async with app.state.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(RefreshFamily)) or 0


async def service_key(
    app: FastAPI, service: str = "twofa", scopes: tuple[str, ...] = (MFA_ASSERT_SCOPE,)
) -> str:
    """An API key as `fountain kms create-service-key` issues it (the only way to mfa:assert)."""
    async with app.state.sessionmaker() as session:
        created = await ApiKeyService(session, app.state.settings).provision(
            service, list(scopes), None, Actor(name="cli", ip=None)
        )
        await session.commit()
    return created.api_key
