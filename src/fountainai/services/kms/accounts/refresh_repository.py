"""Every query on refresh-token families and tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from fountainai.core.db import Repository
from fountainai.services.kms.models import RefreshFamily, RefreshToken


class RefreshRepository(Repository):
    async def add(self, *rows: RefreshFamily | RefreshToken) -> None:
        self.session.add_all(rows)
        await self.session.flush()

    async def token_by_hash(self, token_hash: str) -> RefreshToken | None:
        query = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        return (await self.session.scalars(query)).one_or_none()

    async def reload_token(self, token_id: str) -> RefreshToken:
        query = (
            select(RefreshToken)
            .where(RefreshToken.id == token_id)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(query)).one()

    async def family(self, family_id: str, *, for_update: bool = False) -> RefreshFamily | None:
        query = select(RefreshFamily).where(RefreshFamily.id == family_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(query)).one_or_none()

    async def claim(self, token_id: str, at: datetime) -> bool:
        """Mark a token spent, unless someone already did: the one race-free test of first use."""
        result = await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None))
            .values(used_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def any_child_used(self, token_id: str) -> bool:
        query = select(RefreshToken.id).where(
            RefreshToken.parent_id == token_id, RefreshToken.used_at.is_not(None)
        )
        return (await self.session.scalar(query.limit(1))) is not None

    async def revoke_family(self, family_id: str, *, reason: str, at: datetime) -> bool:
        result = await self.session.execute(
            update(RefreshFamily)
            .where(RefreshFamily.id == family_id, RefreshFamily.revoked_at.is_(None))
            .values(revoked_at=at, revoked_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def revoke_user_families(self, user_id: str, *, reason: str, at: datetime) -> int:
        result = await self.session.execute(
            update(RefreshFamily)
            .where(RefreshFamily.user_id == user_id, RefreshFamily.revoked_at.is_(None))
            .values(revoked_at=at, revoked_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0))
