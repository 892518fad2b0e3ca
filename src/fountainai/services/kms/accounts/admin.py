"""User administration: change roles, disable and re-enable, never leaving no enabled admin.

A role change sets the user's not-before, so access tokens carrying the old roles die at once;
disabling also revokes every refresh family. Either way the user logs in again.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import Conflict, NotFound
from fountainai.core.auth import Principal, Role
from fountainai.core.db import utcnow
from fountainai.services.kms.accounts.repository import UserRepository
from fountainai.services.kms.accounts.schemas import UserUpdate
from fountainai.services.kms.accounts.sessions import end_access_tokens, end_all_sessions
from fountainai.services.kms.accounts.tokens import commit_and_raise
from fountainai.services.kms.audit.events import Outcome, SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository
from fountainai.services.kms.models import User

LAST_ADMIN: Final = "At least one enabled administrator must remain."
NO_SUCH_USER: Final = "No user has this id."


def is_enabled_admin(user: User) -> bool:
    return user.disabled_at is None and Role.ADMIN.value in user.roles


class UserAdmin:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._users = UserRepository(session)
        self._audit = AuditRepository(session)

    async def get(self, user_id: str) -> User:
        user = await self._users.get(user_id)
        if user is None:
            raise NotFound(NO_SUCH_USER)
        return user

    async def update(self, user_id: str, change: UserUpdate, admin: Principal, *, ip: str) -> User:
        user = await self.get(user_id)
        if is_enabled_admin(user) and _removes_admin(user, change):
            # Lock every enabled admin, then re-check: two admins demoting each other at once
            # must not both succeed.
            others = [uid for uid in await self._users.lock_enabled_admins() if uid != user_id]
            user = await self._locked(user_id)
            if is_enabled_admin(user) and _removes_admin(user, change) and not others:
                await self._audit.record(
                    SecurityEvent.ROLE_CHANGE,
                    Outcome.FAILURE,
                    actor=admin.actor,
                    target=user.id,
                    ip=ip,
                    details={"reason": "lastAdmin"},
                )
                await commit_and_raise(self._session, Conflict(LAST_ADMIN))
        else:
            user = await self._locked(user_id)
        if change.roles is not None:
            await self._change_roles(user, [str(role) for role in change.roles], admin, ip=ip)
        if change.disabled is not None:
            await self._set_disabled(user, disabled=change.disabled, admin=admin, ip=ip)
        return user

    async def _change_roles(
        self, user: User, roles: list[str], admin: Principal, *, ip: str
    ) -> None:
        before = sorted(user.roles)
        if roles == before:
            return
        user.roles = roles
        # Access tokens carry roles: the ones issued before now carry the old ones.
        end_access_tokens(self._session, user)
        user.updated_at = utcnow()
        await self._audit.record(
            SecurityEvent.ROLE_CHANGE,
            actor=admin.actor,
            target=user.id,
            ip=ip,
            details={"username": user.username, "before": before, "after": roles},
        )

    async def _set_disabled(self, user: User, *, disabled: bool, admin: Principal, ip: str) -> None:
        if disabled == (user.disabled_at is not None):
            return
        user.disabled_at = utcnow() if disabled else None
        user.updated_at = utcnow()
        families = await end_all_sessions(self._session, user, reason="disabled") if disabled else 0
        await self._audit.record(
            SecurityEvent.ACCOUNT_DISABLE if disabled else SecurityEvent.ACCOUNT_ENABLE,
            actor=admin.actor,
            target=user.id,
            ip=ip,
            details={"username": user.username, "familiesRevoked": families},
        )

    async def _locked(self, user_id: str) -> User:
        user = await self._users.get(user_id, for_update=True)
        if user is None:
            raise NotFound(NO_SUCH_USER)
        return user


def _removes_admin(user: User, change: UserUpdate) -> bool:
    loses_role = change.roles is not None and Role.ADMIN not in change.roles
    return loses_role or change.disabled is True
