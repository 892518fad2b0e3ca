"""Queries behind the revocation feed: revoked access tokens, and users' not-before times."""

from __future__ import annotations

from sqlalchemy import delete, select

from fountainai.core.db import Repository, utcnow
from fountainai.core.db.upsert import dialect_insert
from fountainai.services.kms.models import RevokedToken, User


class RevokedTokenRepository(Repository):
    async def add(self, *, jti: str, subject: str, expires_at: int) -> None:
        """Revoke one access token until it would have expired (twice is once)."""
        insert = dialect_insert(self.dialect, RevokedToken.__table__)
        await self.session.execute(
            insert.values(
                jti=jti, subject=subject, expires_at=expires_at, revoked_at=utcnow()
            ).on_conflict_do_nothing(index_elements=["jti"])
        )

    async def purge_expired(self, now: int) -> None:
        """Expired tokens fail verification anyway; their rows only make the feed longer."""
        await self.session.execute(delete(RevokedToken).where(RevokedToken.expires_at <= now))

    async def unexpired_ids(self, now: int) -> list[str]:
        rows = await self.session.scalars(
            select(RevokedToken.jti).where(RevokedToken.expires_at > now).order_by(RevokedToken.jti)
        )
        return list(rows)

    async def unexpired(self, now: int) -> dict[str, int]:
        """Revoked jti -> when its token expires, for those that have not yet."""
        rows = await self.session.execute(
            select(RevokedToken.jti, RevokedToken.expires_at).where(RevokedToken.expires_at > now)
        )
        return {row.jti: row.expires_at for row in rows}

    async def subjects_not_before(self, *, after: int = 0) -> dict[str, int]:
        """User id -> not-before, for those set later than ``after`` (epoch seconds)."""
        rows = await self.session.execute(
            select(User.id, User.tokens_not_before).where(User.tokens_not_before > after)
        )
        return {row.id: row.tokens_not_before for row in rows}
