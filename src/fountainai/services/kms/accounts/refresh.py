"""Refresh tokens: opaque, stored as SHA-256, rotated on every use, reuse kills the family.

A family is one login. Each use spends the presented token and mints its child. Presenting a
spent token again is reuse, and revokes the whole family, except inside a short grace window
when none of its children has been used yet: that is two parallel refreshes of the *same*
token (two tabs), not a thief replaying an old one. A grandparent is never in grace: its child
has been used.

Locks, always in this order: the user row, then the family row (logout-everywhere takes the
same order), so a refresh and a revocation of the same account serialise instead of deadlocking.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.db import utcnow
from fountainai.services.kms.accounts.refresh_repository import RefreshRepository
from fountainai.services.kms.accounts.repository import UserRepository
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import RefreshFamily, RefreshToken, User

REFRESH_TOKEN_PREFIX: Final = "frt_"  # noqa: S105 - a marker, not a secret
REUSE: Final = "reuse"


def new_refresh_token() -> str:
    return REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)


def refresh_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class RefreshRejected(Exception):
    """The presented token gets no new pair; ``reason`` is for the audit log only."""

    def __init__(
        self, reason: str, *, user_id: str | None = None, family_id: str | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.user_id = user_id
        self.family_id = family_id


@dataclass(frozen=True, slots=True)
class IssuedRefreshToken:
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Rotation:
    user: User
    family: RefreshFamily
    refresh: IssuedRefreshToken
    in_grace: bool


class RefreshTokens:
    def __init__(self, session: AsyncSession, settings: KmsSettings) -> None:
        self._repo = RefreshRepository(session)
        self._users = UserRepository(session)
        self._idle = timedelta(seconds=settings.refresh_token_idle_seconds)
        self._absolute = timedelta(seconds=settings.refresh_token_absolute_seconds)
        self._grace = timedelta(seconds=settings.refresh_reuse_grace_seconds)

    async def start(
        self, user: User, *, amr: list[str], auth_time: int
    ) -> tuple[RefreshFamily, IssuedRefreshToken]:
        """A new family (one login) and its first token."""
        now = utcnow()
        family = RefreshFamily(
            id=str(uuid.uuid4()),
            user_id=user.id,
            amr=amr,
            auth_time=auth_time,
            created_at=now,
            expires_at=now + self._absolute,
        )
        await self._repo.add(family)
        return family, await self._mint(family, user, parent_id=None)

    async def rotate(self, presented: str) -> Rotation:
        """Spend ``presented`` and mint its successor, or raise ``RefreshRejected``."""
        if not presented.startswith(REFRESH_TOKEN_PREFIX):
            raise RefreshRejected("malformed")
        token = await self._repo.token_by_hash(refresh_token_digest(presented))
        if token is None:
            raise RefreshRejected("unknown")
        family = await self._repo.family(token.family_id)
        assert family is not None  # the foreign key cascades
        user = await self._users.get(family.user_id, for_update=True)
        family = await self._repo.family(token.family_id, for_update=True)
        assert family is not None
        self._check(token, family, user)
        assert user is not None
        now = utcnow()
        if token.used_at is None:
            if token.expires_at <= now:
                raise RefreshRejected("expired", user_id=user.id, family_id=family.id)
            if await self._repo.claim(token.id, now):
                return Rotation(user, family, await self._mint(family, user, token.id), False)
            token = await self._repo.reload_token(token.id)  # a parallel refresh won the claim
        assert token.used_at is not None
        if now - token.used_at <= self._grace and not await self._repo.any_child_used(token.id):
            return Rotation(user, family, await self._mint(family, user, token.id), True)
        await self._repo.revoke_family(family.id, reason=REUSE, at=now)
        raise RefreshRejected(REUSE, user_id=user.id, family_id=family.id)

    def _check(self, token: RefreshToken, family: RefreshFamily, user: User | None) -> None:
        ids = {"user_id": family.user_id, "family_id": family.id}
        if family.revoked_at is not None:
            raise RefreshRejected("familyRevoked", **ids)
        if family.expires_at <= utcnow():
            raise RefreshRejected("familyExpired", **ids)
        if user is None or user.disabled_at is not None:
            raise RefreshRejected("userDisabled", **ids)
        if token.issued_at.timestamp() < user.tokens_not_before:
            raise RefreshRejected("notBefore", **ids)

    async def _mint(
        self, family: RefreshFamily, user: User, parent_id: str | None
    ) -> IssuedRefreshToken:
        now = utcnow()
        # Like an access token's iat: never before the user's not-before, so a login in the
        # same second as a logout-everywhere is not mistaken for a session it ended.
        issued_at = max(now, datetime.fromtimestamp(user.tokens_not_before, UTC))
        secret = new_refresh_token()
        row = RefreshToken(
            id=str(uuid.uuid4()),
            family_id=family.id,
            parent_id=parent_id,
            token_hash=refresh_token_digest(secret),
            issued_at=issued_at,
            expires_at=min(now + self._idle, family.expires_at),
        )
        await self._repo.add(row)
        return IssuedRefreshToken(token=secret, expires_at=row.expires_at)
