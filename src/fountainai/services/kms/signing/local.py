"""The KMS verifies its own tokens from its database: no HTTP, and a revoked key dies at once."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fountainai.services.kms.signing.keystore import Keystore


class DatabaseKeySource:
    """``KeySource`` over the keystore: a key verifies only while it is published."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], keystore: Keystore) -> None:
        self._sessionmaker = sessionmaker
        self._keystore = keystore

    async def public_key(self, kid: str) -> Ed25519PublicKey | None:
        async with self._sessionmaker() as session:
            return await self._keystore.public_key(session, kid)
