"""One session on the KMS database for an operator command, migrated first as the service would;
and service API keys issued straight into it (the only way to grant ``mfa:assert``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fountainai.cli.common import get_service
from fountainai.core.db import create_engine
from fountainai.services.kms.apikeys.schemas import ApiKeyCreated
from fountainai.services.kms.apikeys.service import Actor, ApiKeyService, checked_service_key
from fountainai.services.kms.config import KmsSettings

CLI_ACTOR: Final = "cli"


@asynccontextmanager
async def kms_session(settings: KmsSettings) -> AsyncIterator[AsyncSession]:
    """Committed when the block ends without an error; the engine is disposed either way."""
    migrations = get_service("kms").definition.migrations
    engine = create_engine(settings.effective_database_url, pool_size=1)
    try:
        if migrations is not None and settings.auto_migrate:
            await migrations.upgrade(engine)
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            yield session
            await session.commit()
    finally:
        await engine.dispose()


async def issue_service_key(
    settings: KmsSettings,
    service_name: str,
    scopes: Iterable[str],
    *,
    expires_in_days: int | None = None,
) -> ApiKeyCreated:
    """A new key for the service (any known scope); its previous keys are revoked at once.

    ``ValueError`` for an invalid service name or an unknown scope, before anything is written.
    """
    name, granted = checked_service_key(service_name, scopes)
    async with kms_session(settings) as session:
        service = ApiKeyService(session, settings)
        return await service.provision(
            name, granted, expires_in_days, Actor(name=CLI_ACTOR, ip=None)
        )


def provision_service_key(settings: KmsSettings, service_name: str, scopes: list[str]) -> str:
    """:func:`issue_service_key`, from synchronous code (``fountain up``): the whole key."""
    return asyncio.run(issue_service_key(settings, service_name, scopes)).api_key
