"""The KMS's own access token for calling the 2FA service: minted locally, briefly reused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fountainai.core.auth import MFA_VERIFY_SCOPE
from fountainai.services.kms.signing.tokens import AccessToken, AccessTokenIssuer

KMS_SERVICE: Final = "kms"
SERVICE_TOKEN_SECONDS: Final = 60
# A cached token is replaced once it has less than this left: a request in flight, plus skew.
MIN_REMAINING_SECONDS: Final = 15


class ServiceTokens:
    """``service:kms`` with scope ``mfa:verify``, no roles, no amr, 60 s; one shared until it
    has under 15 s left, so 2FA sees a handful of tokens a minute, not one per login."""

    def __init__(
        self,
        issuer: AccessTokenIssuer,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._issuer = issuer
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._current: AccessToken | None = None
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        current = self._current
        if current is not None and current.expires_at - self._clock() >= MIN_REMAINING_SECONDS:
            return current.token
        async with self._lock:  # concurrent logins wait for one new token
            current = self._current
            if current is None or current.expires_at - self._clock() < MIN_REMAINING_SECONDS:
                current = self._current = await self._mint()
        return current.token

    async def _mint(self) -> AccessToken:
        async with self._sessionmaker() as session:
            # Autocommit, like the KMS's own verifier: on SQLite, a transaction would queue for
            # the write lock behind the very request that needs this token.
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return await self._issuer.issue_service(
                session,
                service=KMS_SERVICE,
                scopes=[MFA_VERIFY_SCOPE],
                lifetime=SERVICE_TOKEN_SECONDS,
            )
