"""Ending sessions: log out (this token and its refresh family), log out everywhere, and a
password change, which ends every session too."""

from __future__ import annotations

import math
import time
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import NotFound, PermissionDenied, RateLimited
from fountainai.core.auth import Principal
from fountainai.core.db import utcnow
from fountainai.services.kms.accounts.passwords import (
    Passwords,
    checked_password,
    normalize_password,
)
from fountainai.services.kms.accounts.refresh import REFRESH_TOKEN_PREFIX, refresh_token_digest
from fountainai.services.kms.accounts.refresh_repository import RefreshRepository
from fountainai.services.kms.accounts.repository import UserRepository
from fountainai.services.kms.accounts.throttle import LoginThrottler
from fountainai.services.kms.accounts.tokens import commit_and_raise
from fountainai.services.kms.audit.events import Outcome, SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import User
from fountainai.services.kms.revocation.after_commit import publish_after_commit
from fountainai.services.kms.revocation.publisher import SubjectNotBefore, TokenRevoked
from fountainai.services.kms.revocation.repository import RevokedTokenRepository

USER_SESSIONS_ONLY: Final = "Only a user's access token has a session to end."
WRONG_PASSWORD: Final = "The current password is not correct."  # noqa: S105
NO_ACCOUNT: Final = "The account of this token no longer exists."


def end_access_tokens(session: AsyncSession, user: User) -> None:
    """The access tokens the user holds now die: their not-before moves up to now (and reaches
    the gateways' Redis once the transaction commits)."""
    # ceil: a token issued earlier in this very second has iat < not-before, so it dies too.
    user.tokens_not_before = max(user.tokens_not_before, math.ceil(time.time()))
    publish_after_commit(session, SubjectNotBefore(user.id, user.tokens_not_before))


async def end_all_sessions(session: AsyncSession, user: User, *, reason: str) -> int:
    """Every token the user holds dies: access tokens by not-before, refresh families revoked."""
    end_access_tokens(session, user)
    return await RefreshRepository(session).revoke_user_families(
        user.id, reason=reason, at=utcnow()
    )


class SessionService:
    def __init__(self, session: AsyncSession, settings: KmsSettings, passwords: Passwords) -> None:
        self._session = session
        self._settings = settings
        self._passwords = passwords
        self._users = UserRepository(session)
        self._refresh = RefreshRepository(session)
        self._audit = AuditRepository(session)

    async def logout(self, principal: Principal, refresh_token: str | None, *, ip: str) -> None:
        if principal.kind != "user" or not principal.token_id or not principal.expires_at:
            raise PermissionDenied(USER_SESSIONS_ONLY)
        family_revoked = False
        if refresh_token and refresh_token.startswith(REFRESH_TOKEN_PREFIX):
            token = await self._refresh.token_by_hash(refresh_token_digest(refresh_token))
            family = await self._refresh.family(token.family_id) if token else None
            # Someone else's refresh token is ignored, as RFC 7009 ignores unknown ones.
            if family is not None and family.user_id == principal.subject:
                family_revoked = await self._refresh.revoke_family(
                    family.id, reason="logout", at=utcnow()
                )
        revoked = RevokedTokenRepository(self._session)
        await revoked.add(
            jti=principal.token_id, subject=principal.subject, expires_at=principal.expires_at
        )
        publish_after_commit(self._session, TokenRevoked(principal.token_id, principal.expires_at))
        await revoked.purge_expired(int(time.time()))
        await self._audit.record(
            SecurityEvent.LOGOUT,
            actor=principal.actor,
            target=principal.subject,
            ip=ip,
            details={"familyRevoked": family_revoked},
        )

    async def logout_everywhere(self, principal: Principal, *, ip: str) -> None:
        user = await self._own_account(principal)
        families = await end_all_sessions(self._session, user, reason="logoutEverywhere")
        await self._audit.record(
            SecurityEvent.LOGOUT_EVERYWHERE,
            actor=principal.actor,
            target=user.id,
            ip=ip,
            details={"familiesRevoked": families},
        )

    async def change_password(
        self, principal: Principal, current: str, new: str, *, ip: str
    ) -> None:
        """Throttled like a login: a stolen access token must not become a password oracle."""
        new_password = checked_password(new, min_length=self._settings.password_min_length)
        user = await self._own_account(principal, lock=False)
        throttle = LoginThrottler(self._session, self._settings)
        retry_after = await throttle.ip_retry_after(ip)
        if retry_after is not None:
            headers = {"Retry-After": str(retry_after)}
            raise RateLimited("Too many failed attempts from this address.", headers=headers)
        locked = await throttle.account_locked(user.username, ip)
        matches = await self._passwords.verify(user.password_hash, normalize_password(current))
        if locked or not matches:
            await throttle.record_failure(user.username, ip)
            await self._audit.record(
                SecurityEvent.PASSWORD_CHANGE,
                Outcome.FAILURE,
                actor=principal.actor,
                target=user.id,
                ip=ip,
                details={"reason": "locked" if locked else "badPassword"},
            )
            await commit_and_raise(self._session, PermissionDenied(WRONG_PASSWORD))
        new_hash = await self._passwords.hash(new_password)
        # Lock order as in login: throttle rows, then the user row.
        await throttle.reset_account(user.username, ip)
        user = await self._own_account(principal, lock=True)
        user.password_hash = new_hash
        user.password_changed_at = utcnow()
        families = await end_all_sessions(self._session, user, reason="passwordChange")
        await self._audit.record(
            SecurityEvent.PASSWORD_CHANGE,
            actor=principal.actor,
            target=user.id,
            ip=ip,
            details={"familiesRevoked": families},
        )

    async def _own_account(self, principal: Principal, *, lock: bool = True) -> User:
        if principal.kind != "user":
            raise PermissionDenied(USER_SESSIONS_ONLY)
        user = await self._users.get(principal.subject, for_update=lock)
        if user is None:
            raise NotFound(NO_ACCOUNT)
        return user
