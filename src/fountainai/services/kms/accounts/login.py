"""Password login: throttled, constant-cost, and one answer for every kind of failure.

Unknown user, wrong password, disabled account and locked account all get the same 401 body and
headers, and all cost one argon2 verification; the reason goes to the audit log only.
"""

from __future__ import annotations

import time
from typing import Final, NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import RateLimited, Unauthorized
from fountainai.services.kms.accounts.passwords import Passwords, normalize_password
from fountainai.services.kms.accounts.repository import UserRepository
from fountainai.services.kms.accounts.schemas import MfaRequired, TokenResponse
from fountainai.services.kms.accounts.throttle import FailureOutcome, LoginThrottler
from fountainai.services.kms.accounts.tokens import TokenPairs, commit_and_raise
from fountainai.services.kms.accounts.usernames import (
    is_valid_username,
    loggable_name,
    normalize_username,
)
from fountainai.services.kms.audit.events import Outcome, SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.mfa.tickets import MfaTickets
from fountainai.services.kms.models import User
from fountainai.services.kms.signing.tokens import AccessTokenIssuer

LOGIN_FAILED: Final = "Invalid username or password."
IP_THROTTLED: Final = "Too many failed logins from this address; retry later."
PASSWORD_AMR: Final = ["pwd"]


class LoginService:
    def __init__(
        self,
        session: AsyncSession,
        settings: KmsSettings,
        *,
        passwords: Passwords,
        issuer: AccessTokenIssuer,
    ) -> None:
        self._session = session
        self._settings = settings
        self._passwords = passwords
        self._users = UserRepository(session)
        self._throttle = LoginThrottler(session, settings)
        self._audit = AuditRepository(session)
        self._tokens = TokenPairs(session, settings, issuer)

    async def login(self, username: str, password: str, *, ip: str) -> TokenResponse | MfaRequired:
        name = normalize_username(username)
        actor = loggable_name(name)
        retry_after = await self._throttle.ip_retry_after(ip)
        if retry_after is not None:
            await self._audit.record(
                SecurityEvent.IP_THROTTLED,
                Outcome.FAILURE,
                actor=actor,
                ip=ip,
                details={"retryAfter": retry_after},
            )
            error = RateLimited(IP_THROTTLED, headers={"Retry-After": str(retry_after)})
            await commit_and_raise(self._session, error)
        user = await self._users.by_username(name) if is_valid_username(name) else None
        locked = await self._throttle.account_locked(name, ip)
        password = normalize_password(password)
        matches = await self._passwords.verify(user.password_hash if user else None, password)
        reason = _failure_reason(user, matches=matches, locked=locked)
        if reason is not None:
            await self._failed(name, ip, user, reason)
        assert user is not None
        return await self._succeeded(user, name, password, ip)

    async def _failed(self, name: str, ip: str, user: User | None, reason: str) -> NoReturn:
        outcome = await self._throttle.record_failure(name, ip)
        actor, target = loggable_name(name), user.id if user else None
        await self._audit.record(
            SecurityEvent.LOGIN,
            Outcome.FAILURE,
            actor=actor,
            target=target,
            ip=ip,
            details={"reason": reason},
        )
        await self._record_locks(outcome, actor=actor, target=target, ip=ip)
        await commit_and_raise(self._session, Unauthorized(LOGIN_FAILED))

    async def _record_locks(
        self, outcome: FailureOutcome, *, actor: str, target: str | None, ip: str
    ) -> None:
        if outcome.account_locked_until is not None:
            until = outcome.account_locked_until.isoformat()
            await self._audit.record(
                SecurityEvent.LOCKOUT,
                Outcome.FAILURE,
                actor=actor,
                target=target,
                ip=ip,
                details={"scope": "account", "lockedUntil": until},
            )
        if outcome.ip_locked_until is not None:
            until = outcome.ip_locked_until.isoformat()
            await self._audit.record(
                SecurityEvent.IP_THROTTLED,
                Outcome.FAILURE,
                actor=actor,
                ip=ip,
                details={"scope": "ip", "lockedUntil": until},
            )

    async def _succeeded(
        self, user: User, name: str, password: str, ip: str
    ) -> TokenResponse | MfaRequired:
        await self._throttle.reset_account(name, ip)
        locked_user = await self._users.get(user.id, for_update=True)
        if locked_user is None or locked_user.disabled_at is not None:  # changed meanwhile
            await self._failed(name, ip, locked_user, "disabled")
        assert locked_user is not None
        if self._passwords.needs_rehash(locked_user.password_hash):
            locked_user.password_hash = await self._passwords.hash(password)
        if locked_user.mfa_enabled:
            ticket_id, challenge = await MfaTickets(self._session, self._settings).issue(
                locked_user
            )
            await self._audit.record(
                SecurityEvent.LOGIN,
                actor=name,
                target=user.id,
                ip=ip,
                details={"factor": "pwd", "mfa": "required", "ticketId": ticket_id},
            )
            return challenge
        tokens = await self._tokens.for_login(
            locked_user, amr=PASSWORD_AMR, auth_time=int(time.time())
        )
        await self._audit.record(
            SecurityEvent.LOGIN, actor=name, target=user.id, ip=ip, details={"factor": "pwd"}
        )
        return tokens


def _failure_reason(user: User | None, *, matches: bool, locked: bool) -> str | None:
    if user is None:
        return "unknownUser"
    if not matches:
        return "badPassword"
    if locked:
        return "locked"
    if user.disabled_at is not None:
        return "disabled"
    return None
