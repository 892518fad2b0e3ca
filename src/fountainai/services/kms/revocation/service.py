"""``LocalRevocations``: the KMS's own revocation state, read fresh from its database.

The KMS verifies its own tokens with it, so it is never stale: no cache, and the reads run in
autocommit (on SQLite they then take no write lock and never queue behind a request's
transaction).
"""

from __future__ import annotations

import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fountainai.core.auth import RevocationFeed, RevocationSnapshot
from fountainai.services.kms.revocation.repository import RevokedTokenRepository
from fountainai.services.kms.signing.keystore import Keystore


async def build_feed(session: AsyncSession, keystore: Keystore) -> RevocationFeed:
    now = int(time.time())
    repo = RevokedTokenRepository(session)
    return RevocationFeed(
        token_ids=await repo.unexpired_ids(now),
        key_ids=sorted(await keystore.revoked_kids(session)),
        subjects_not_before=await repo.subjects_not_before(),
        generated_at=now,
    )


class LocalRevocations:
    """``RevocationSource`` over the KMS database (what ``GET /revocations`` serves, too)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], keystore: Keystore) -> None:
        self._sessionmaker = sessionmaker
        self._keystore = keystore

    async def feed(self) -> RevocationFeed:
        async with self._sessionmaker() as session:
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return await build_feed(session, self._keystore)

    async def snapshot(self) -> RevocationSnapshot:
        return RevocationSnapshot.from_feed(await self.feed())
