"""Every query on accounts and login-throttle counters. Repositories flush, never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, select, text

from fountainai.core.auth import Role
from fountainai.core.db import Repository
from fountainai.core.db.upsert import dialect_insert
from fountainai.services.kms.models import LoginThrottle, User


def has_role(role: Role) -> ColumnElement[bool]:
    """``roles`` (a JSON list of enum values) contains ``role``: the same test on both backends."""
    return cast(User.roles, String).like(f'%"{role.value}"%')


class UserRepository(Repository):
    async def get(self, user_id: str, *, for_update: bool = False) -> User | None:
        """The user; ``for_update`` locks the row (PostgreSQL) and re-reads it."""
        query = select(User).where(User.id == user_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(query)).one_or_none()

    async def by_username(self, username: str) -> User | None:
        return (await self.session.scalars(select(User).where(User.username == username))).first()

    async def any_exist(self) -> bool:
        return (await self.session.scalar(select(User.id).limit(1))) is not None

    async def lock_for_bootstrap(self) -> None:
        """Serialise would-be first accounts (SQLite's BEGIN IMMEDIATE already does)."""
        if self.dialect == "postgresql":
            # Self-conflicting, and it conflicts with INSERT: one bootstrap at a time, and the
            # loser's count (a new statement, so a new snapshot) sees the winner's account.
            await self.session.execute(text("LOCK TABLE kms_users IN SHARE ROW EXCLUSIVE MODE"))

    async def lock_enabled_admins(self) -> list[str]:
        """Ids of the enabled admins, locked (in id order), for the keep-one-admin rule."""
        rows = await self.session.scalars(
            select(User.id)
            .where(User.disabled_at.is_(None), has_role(Role.ADMIN))
            .order_by(User.id)
            .with_for_update()
        )
        return list(rows)

    async def add(self, user: User) -> None:
        self.session.add(user)
        await self.session.flush()

    async def page(
        self,
        *,
        role: Role | None,
        disabled: bool | None,
        username: str | None = None,
        username_prefix: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[User], int]:
        conditions: list[ColumnElement[bool]] = []
        if role is not None:
            conditions.append(has_role(role))
        if disabled is not None:
            conditions.append(
                User.disabled_at.is_not(None) if disabled else User.disabled_at.is_(None)
            )
        if username is not None:
            conditions.append(User.username == username)
        if username_prefix:
            conditions.append(User.username.startswith(username_prefix, autoescape=True))
        total = await self.session.scalar(select(func.count(User.id)).where(*conditions))
        rows = await self.session.scalars(
            select(User).where(*conditions).order_by(User.username).limit(limit).offset(offset)
        )
        return list(rows), total or 0


class ThrottleRepository(Repository):
    async def get(self, key: str) -> LoginThrottle | None:
        return await self.session.get(LoginThrottle, key, populate_existing=True)

    async def lock(self, key: str, **defaults: Any) -> LoginThrottle:
        """The counter row, created if missing and locked until commit (PostgreSQL)."""
        insert = dialect_insert(self.dialect, LoginThrottle.__table__)
        await self.session.execute(
            insert.values(key=key, **defaults).on_conflict_do_nothing(index_elements=["key"])
        )
        query = (
            select(LoginThrottle)
            .where(LoginThrottle.key == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(query)).one()

    async def delete(self, key: str) -> None:
        row = await self.session.get(LoginThrottle, key)
        if row is not None:
            await self.session.delete(row)
            await self.session.flush()
