"""Checking a presented key: by prefix, then a constant-time hash comparison; never cached here.

The KMS endpoint (``POST /keys/introspect``) and the KMS's own authenticator share this path, so
a revoked or expired key stops working in the KMS at once (other services cache answers briefly).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fountainai.core.auth import IntrospectionResponse, Principal, principal_for_key
from fountainai.core.db import utcnow
from fountainai.core.logging import get_logger
from fountainai.services.kms.apikeys.keyformat import hash_matches, parse_key
from fountainai.services.kms.apikeys.repository import ApiKeyRepository
from fountainai.services.kms.models import ApiKey

# lastUsedAt is kept to this resolution: at most one write per key per interval, not per request.
LAST_USED_RESOLUTION: Final = timedelta(minutes=1)
INACTIVE: Final = IntrospectionResponse(active=False)

log = get_logger(__name__)


async def find_valid_key(session: AsyncSession, api_key: str, now: datetime) -> ApiKey | None:
    """The key's row if ``api_key`` is exactly a live key; ``None`` for anything else."""
    presented = parse_key(api_key)
    if presented is None:
        return None
    key = await ApiKeyRepository(session).by_prefix(presented.prefix)
    matches = hash_matches(presented, None if key is None else key.secret_hash)
    if key is None or not matches:
        return None
    if key.revoked_at is not None or key.expires_at <= now:
        return None
    return key


async def record_use(session: AsyncSession, key: ApiKey, now: datetime) -> bool:
    """Stamp ``last_used_at`` unless it is recent; True if a write was issued."""
    stale_before = now - LAST_USED_RESOLUTION
    if key.last_used_at is not None and key.last_used_at >= stale_before:
        return False
    await ApiKeyRepository(session).touch(key.id, now=now, stale_before=stale_before)
    return True


def describe(key: ApiKey | None) -> IntrospectionResponse:
    """The introspection answer: only ``active: false`` for anything not live."""
    if key is None:
        return INACTIVE
    return IntrospectionResponse(
        active=True,
        service_name=key.service_name,
        scopes=list(key.scopes),
        expires_at=key.expires_at,
        key_prefix=key.prefix,
    )


class LocalApiKeyIntrospector:
    """Core's ``ApiKeyIntrospector`` for the KMS itself: straight from the database."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def introspect(self, api_key: str) -> Principal | None:
        now = utcnow()
        async with self._sessionmaker() as session:
            # Autocommit: the read takes no write lock on SQLite (so it never queues behind the
            # request's own transaction), and the rare last-used stamp is one atomic statement.
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            key = await find_valid_key(session, api_key, now)
            if key is None:
                return None
            principal = principal_for_key(describe(key), now=time.time())
            try:
                await record_use(session, key, now)
            except DBAPIError as exc:
                # Bookkeeping only: a busy database must not turn a valid key away.
                log.warning("api_key_last_used_not_recorded", error=type(exc).__name__)
        return principal
