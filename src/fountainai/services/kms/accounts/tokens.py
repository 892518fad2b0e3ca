"""Token pairs: an access JWT plus a refresh token, for a login or a refresh."""

from __future__ import annotations

import math
from datetime import datetime
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import AppError, Unauthorized
from fountainai.core.auth import Role, scopes_for_roles
from fountainai.core.db import utcnow
from fountainai.services.kms.accounts.refresh import (
    REUSE,
    IssuedRefreshToken,
    RefreshRejected,
    RefreshTokens,
)
from fountainai.services.kms.accounts.schemas import TokenResponse
from fountainai.services.kms.audit.events import Outcome, SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import RefreshFamily, User
from fountainai.services.kms.signing.tokens import AccessTokenIssuer

REFRESH_REJECTED = "The refresh token is invalid or expired; log in again."


async def commit_and_raise(session: AsyncSession, error: AppError) -> NoReturn:
    """Keep what a failure recorded (audit, counters): the request session rolls back on raise."""
    await session.commit()
    raise error


def seconds_until(moment: datetime) -> int:
    return max(0, math.floor((moment - utcnow()).total_seconds()))


class TokenPairs:
    def __init__(
        self, session: AsyncSession, settings: KmsSettings, issuer: AccessTokenIssuer
    ) -> None:
        self._session = session
        self._issuer = issuer
        self._refresh = RefreshTokens(session, settings)
        self._audit = AuditRepository(session)

    async def for_login(self, user: User, *, amr: list[str], auth_time: int) -> TokenResponse:
        family, refresh = await self._refresh.start(user, amr=amr, auth_time=auth_time)
        return await self._pair(user, family, refresh)

    async def refresh(self, presented: str, *, ip: str) -> TokenResponse:
        """Rotate; on any rejection audit why, keep a reuse revocation, answer one generic 401."""
        try:
            rotation = await self._refresh.rotate(presented)
        except RefreshRejected as rejected:
            await self._rejected(rejected, ip=ip)
        await self._audit.record(
            SecurityEvent.TOKEN_REFRESH,
            actor=rotation.user.username,
            target=rotation.user.id,
            ip=ip,
            details={"familyId": rotation.family.id, "grace": rotation.in_grace},
        )
        return await self._pair(rotation.user, rotation.family, rotation.refresh)

    async def _rejected(self, rejected: RefreshRejected, *, ip: str) -> NoReturn:
        details = {"reason": rejected.reason, "familyId": rejected.family_id}
        if rejected.reason == REUSE:
            await self._audit.record(
                SecurityEvent.REFRESH_REUSE_DETECTED,
                Outcome.FAILURE,
                target=rejected.user_id,
                ip=ip,
                details=details,
            )
        await self._audit.record(
            SecurityEvent.TOKEN_REFRESH,
            Outcome.FAILURE,
            target=rejected.user_id,
            ip=ip,
            details=details,
        )
        await commit_and_raise(self._session, Unauthorized(REFRESH_REJECTED))

    async def _pair(
        self, user: User, family: RefreshFamily, refresh: IssuedRefreshToken
    ) -> TokenResponse:
        access = await self._issuer.issue(
            self._session,
            subject=user.id,
            username=user.username,
            roles=user.roles,
            amr=family.amr,
            auth_time=family.auth_time,
            not_before=user.tokens_not_before,
        )
        return TokenResponse(
            access_token=access.token,
            refresh_token=refresh.token,
            expires_in=access.expires_in,
            refresh_token_expires_in=seconds_until(refresh.expires_at),
            scope=scopes_for_roles(Role(role) for role in user.roles),
            amr=list(family.amr),
        )
