"""Every API-key query. Writes are conditional, so a concurrent change is seen, not overwritten."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from fountainai.core.db import Repository
from fountainai.services.kms.models import ApiKey


class ApiKeyRepository(Repository):
    async def by_prefix(self, prefix: str) -> ApiKey | None:
        key: ApiKey | None = await self.session.scalar(
            select(ApiKey).where(ApiKey.prefix == prefix)
        )
        return key

    async def current(self, service_name: str) -> ApiKey | None:
        """The service's key that is neither revoked nor superseded (it may have expired)."""
        key: ApiKey | None = await self.session.scalar(
            select(ApiKey).where(
                ApiKey.service_name == service_name,
                ApiKey.revoked_at.is_(None),
                ApiKey.rotated_at.is_(None),
            )
        )
        return key

    async def insert(self, key: ApiKey) -> bool:
        """False if the service already has a current key (another request made one just now).

        After False the transaction is spoilt: the caller raises, and the session rolls back.
        """
        self.session.add(key)
        try:
            await self.session.flush()
        except IntegrityError:
            return False
        return True

    async def supersede(self, key_id: str, *, at: datetime, expires_at: datetime) -> bool:
        result = await self.session.execute(
            update(ApiKey)
            .where(ApiKey.id == key_id, ApiKey.rotated_at.is_(None), ApiKey.revoked_at.is_(None))
            .values(rotated_at=at, expires_at=expires_at)
        )
        return bool(getattr(result, "rowcount", 0))

    async def usable(self, service_name: str, now: datetime) -> list[ApiKey]:
        """Keys of the service that still authenticate: active or in their rotation grace."""
        rows = await self.session.scalars(
            select(ApiKey).where(
                ApiKey.service_name == service_name,
                ApiKey.revoked_at.is_(None),
                ApiKey.expires_at > now,
            )
        )
        return list(rows)

    async def revoke_service(self, service_name: str, at: datetime) -> None:
        await self.session.execute(
            update(ApiKey)
            .where(ApiKey.service_name == service_name, ApiKey.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def touch(self, key_id: str, *, now: datetime, stale_before: datetime) -> None:
        """Record a use, unless one was recorded after ``stale_before`` (one write per interval)."""
        await self.session.execute(
            update(ApiKey)
            .where(
                ApiKey.id == key_id,
                or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < stale_before),
            )
            .values(last_used_at=now)
        )

    async def page(
        self, *, service_name: str | None, include_revoked: bool, limit: int, offset: int
    ) -> tuple[list[ApiKey], int]:
        conditions = []
        if service_name is not None:
            conditions.append(ApiKey.service_name == service_name)
        if not include_revoked:
            conditions.append(ApiKey.revoked_at.is_(None))
        total = await self.session.scalar(
            select(func.count()).select_from(ApiKey).where(*conditions)
        )
        rows = await self.session.scalars(
            select(ApiKey)
            .where(*conditions)
            .order_by(ApiKey.created_at.desc(), ApiKey.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), total or 0
