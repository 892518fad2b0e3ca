"""Who may create which account.

While no account exists, the first registration may ask for any roles (bootstrap: the seed's
``{"username":"admin","password":"secure123","roles":"admin"}``), even when self-registration
is closed: the first comer owns an empty KMS. The check-then-insert is serialised, so two
concurrent bootstraps make exactly one account. Afterwards an admin may create accounts with any
roles; anyone else gets ``reader`` if ``self_registration`` is ``reader`` and they asked for
nothing more, and 403 otherwise. ``fountain kms create-admin`` uses :meth:`Registrar.create`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Final, NoReturn

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import AppError, Conflict, PermissionDenied
from fountainai.core.auth import Principal, Role
from fountainai.core.db import utcnow
from fountainai.services.kms.accounts.passwords import Passwords, checked_password
from fountainai.services.kms.accounts.repository import UserRepository
from fountainai.services.kms.accounts.schemas import RegisterRequest
from fountainai.services.kms.accounts.tokens import commit_and_raise
from fountainai.services.kms.audit.events import Outcome, SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import User

DEFAULT_ROLES: Final = [Role.READER]
REGISTRATION_CLOSED: Final = "Registration is closed; ask an administrator for an account."
ROLES_NEED_ADMIN: Final = "Only an administrator can grant roles beyond reader."
USERNAME_TAKEN: Final = "That username is taken."
ACCOUNTS_NEED_A_USER: Final = "Accounts are managed by admin users, not by API keys."


class UsernameTaken(Conflict):
    pass


class Registrar:
    def __init__(self, session: AsyncSession, settings: KmsSettings, passwords: Passwords) -> None:
        self._session = session
        self._settings = settings
        self._passwords = passwords
        self._users = UserRepository(session)
        self._audit = AuditRepository(session)

    async def register(self, body: RegisterRequest, caller: Principal | None, *, ip: str) -> User:
        """Create the account ``body`` asks for, if ``caller`` (None: anonymous) may."""
        password = checked_password(body.password, min_length=self._settings.password_min_length)
        actor = caller.actor if caller else body.username
        if caller is not None and caller.kind != "user":
            error = PermissionDenied(ACCOUNTS_NEED_A_USER)
            await self._refuse(actor, body.username, ip, "notAUser", error)
        if caller is not None and caller.has_role(Role.ADMIN):
            return await self.create(
                body.username,
                password,
                body.roles or DEFAULT_ROLES,
                actor=actor,
                via="admin",
                ip=ip,
            )
        bootstrap = not await self._users.any_exist()
        roles = await self._decided(body, actor, ip=ip, bootstrap=bootstrap)
        password_hash = await self._passwords.hash(password)  # slow: before taking the lock
        if bootstrap:
            await self._users.lock_for_bootstrap()
            if await self._users.any_exist():  # another first account won the race
                bootstrap = False
                roles = await self._decided(body, actor, ip=ip, bootstrap=False)
        via = "bootstrap" if bootstrap else "self"
        return await self.create(
            body.username, password, roles, actor=actor, via=via, ip=ip, hashed=password_hash
        )

    async def create(
        self,
        username: str,
        password: str,
        roles: Sequence[Role],
        *,
        actor: str,
        via: str,
        ip: str | None,
        hashed: str | None = None,
    ) -> User:
        """Insert the account and audit it; ``UsernameTaken`` (committed audit) if it exists."""
        password_hash = hashed or await self._passwords.hash(password)
        now = utcnow()
        user = User(
            id=str(uuid.uuid4()),
            username=username,
            password_hash=password_hash,
            roles=[str(role) for role in sorted(set(roles))],
            tokens_not_before=0,
            mfa_enabled=False,
            password_changed_at=now,
            created_at=now,
            updated_at=now,
        )
        try:
            async with self._session.begin_nested():
                await self._users.add(user)
        except IntegrityError:
            await self._refuse(actor, username, ip, "usernameTaken", UsernameTaken(USERNAME_TAKEN))
        await self._audit.record(
            SecurityEvent.REGISTER,
            actor=actor,
            target=user.id,
            ip=ip,
            details={"username": username, "roles": user.roles, "via": via},
        )
        return user

    def _self_service_roles(self, asked: list[Role] | None, *, bootstrap: bool) -> list[Role]:
        if bootstrap:
            return asked or DEFAULT_ROLES
        if self._settings.self_registration == "closed":
            raise PermissionDenied(REGISTRATION_CLOSED)
        if asked and asked != [Role.READER]:
            raise PermissionDenied(ROLES_NEED_ADMIN)
        return DEFAULT_ROLES

    async def _decided(
        self, body: RegisterRequest, actor: str, *, ip: str, bootstrap: bool
    ) -> list[Role]:
        try:
            return self._self_service_roles(body.roles, bootstrap=bootstrap)
        except PermissionDenied as denied:
            reason = "closed" if denied.detail == REGISTRATION_CLOSED else "rolesNotAllowed"
            await self._refuse(actor, body.username, ip, reason, denied)

    async def _refuse(
        self, actor: str, username: str, ip: str | None, reason: str, error: AppError
    ) -> NoReturn:
        await self._audit.record(
            SecurityEvent.REGISTER,
            Outcome.FAILURE,
            actor=actor,
            target=username,
            ip=ip,
            details={"reason": reason},
        )
        await commit_and_raise(self._session, error)
