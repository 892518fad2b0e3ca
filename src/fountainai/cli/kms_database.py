"""One session on the KMS database for an operator command, migrated first as the service would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fountainai.cli.common import get_service
from fountainai.core.db import create_engine
from fountainai.services.kms.config import KmsSettings


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
