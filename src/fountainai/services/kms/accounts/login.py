"""Password login: throttled, constant-cost, and one answer for every kind of failure.

Unknown user, wrong password, disabled account and locked account all get the same 401 body and
headers, and all cost one argon2 verification; the reason goes to the audit log only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final, NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import RateLimited, Unauthorized
from fountainai.core.db import Transactions
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
from fountainai.services.kms.signing.tokens import AccessTokenIssuer

LOGIN_FAILED: Final = "Invalid username or password."
IP_THROTTLED: Final = "Too many failed logins from this address; retry later."
PASSWORD_AMR: Final = ["pwd"]


@dataclass(frozen=True, slots=True)
class _Seen:
    """What the first transaction read: enough to check the password with no transaction open."""

    user_id: str | None
    password_hash: str | None
    disabled: bool
    locked: bool


class LoginService:
    """Three steps, so no transaction (on SQLite: no write lock) is held while argon2 runs:
    read the account and the throttles; check the password (and rehash it if the parameters
    changed); then record the outcome, re-checking the account under a row lock."""

    def __init__(
        self,
        transactions: Transactions,
        settings: KmsSettings,
        *,
        passwords: Passwords,
        issuer: AccessTokenIssuer,
    ) -> None:
        self._transactions = transactions
        self._settings = settings
        self._passwords = passwords
        self._issuer = issuer

    async def login(self, username: str, password: str, *, ip: str) -> TokenResponse | MfaRequired:
        name = normalize_username(username)
        seen = await self._read(name, ip)
        password = normalize_password(password)
        matches = await self._passwords.verify(seen.password_hash, password)
        new_hash = None
        if matches and seen.password_hash and self._passwords.needs_rehash(seen.password_hash):
            new_hash = await self._passwords.hash(password)
        async with self._transactions() as session:
            reason = _failure_reason(seen, matches=matches)
            if reason is not None:
                await _failed(session, self._settings, name, ip, seen.user_id, reason)
            assert seen.user_id is not None
            return await self._succeeded(session, seen, new_hash, name=name, ip=ip)

    async def _read(self, name: str, ip: str) -> _Seen:
        async with self._transactions() as session:
            throttle = LoginThrottler(session, self._settings)
            retry_after = await throttle.ip_retry_after(ip)
            if retry_after is not None:
                await AuditRepository(session).record(
                    SecurityEvent.IP_THROTTLED,
                    Outcome.FAILURE,
                    actor=loggable_name(name),
                    ip=ip,
                    details={"retryAfter": retry_after},
                )
                error = RateLimited(IP_THROTTLED, headers={"Retry-After": str(retry_after)})
                await commit_and_raise(session, error)
            users = UserRepository(session)
            user = await users.by_username(name) if is_valid_username(name) else None
            return _Seen(
                user_id=user.id if user else None,
                password_hash=user.password_hash if user else None,
                disabled=user is not None and user.disabled_at is not None,
                locked=await throttle.account_locked(name, ip),
            )

    async def _succeeded(
        self, session: AsyncSession, seen: _Seen, new_hash: str | None, *, name: str, ip: str
    ) -> TokenResponse | MfaRequired:
        assert seen.user_id is not None
        await LoginThrottler(session, self._settings).reset_account(name, ip)
        user = await UserRepository(session).get(seen.user_id, for_update=True)
        if user is None or user.disabled_at is not None:  # changed meanwhile
            await _failed(session, self._settings, name, ip, seen.user_id, "disabled")
        if user.password_hash != seen.password_hash:  # changed while we were hashing
            await _failed(session, self._settings, name, ip, seen.user_id, "passwordChanged")
        if new_hash is not None:
            user.password_hash = new_hash
        audit = AuditRepository(session)
        if user.mfa_enabled:
            ticket_id, challenge = await MfaTickets(session, self._settings).issue(user)
            await audit.record(
                SecurityEvent.LOGIN,
                actor=name,
                target=user.id,
                ip=ip,
                details={"factor": "pwd", "mfa": "required", "ticketId": ticket_id},
            )
            return challenge
        tokens = await TokenPairs(session, self._settings, self._issuer).for_login(
            user, amr=PASSWORD_AMR, auth_time=int(time.time())
        )
        await audit.record(
            SecurityEvent.LOGIN, actor=name, target=user.id, ip=ip, details={"factor": "pwd"}
        )
        return tokens


async def _failed(
    session: AsyncSession,
    settings: KmsSettings,
    name: str,
    ip: str,
    user_id: str | None,
    reason: str,
) -> NoReturn:
    outcome = await LoginThrottler(session, settings).record_failure(name, ip)
    audit = AuditRepository(session)
    actor = loggable_name(name)
    await audit.record(
        SecurityEvent.LOGIN,
        Outcome.FAILURE,
        actor=actor,
        target=user_id,
        ip=ip,
        details={"reason": reason},
    )
    await _record_locks(audit, outcome, actor=actor, target=user_id, ip=ip)
    await commit_and_raise(session, Unauthorized(LOGIN_FAILED))


async def _record_locks(
    audit: AuditRepository, outcome: FailureOutcome, *, actor: str, target: str | None, ip: str
) -> None:
    if outcome.account_locked_until is not None:
        until = outcome.account_locked_until.isoformat()
        await audit.record(
            SecurityEvent.LOCKOUT,
            Outcome.FAILURE,
            actor=actor,
            target=target,
            ip=ip,
            details={"scope": "account", "lockedUntil": until},
        )
    if outcome.ip_locked_until is not None:
        until = outcome.ip_locked_until.isoformat()
        await audit.record(
            SecurityEvent.IP_THROTTLED,
            Outcome.FAILURE,
            actor=actor,
            ip=ip,
            details={"scope": "ip", "lockedUntil": until},
        )


def _failure_reason(seen: _Seen, *, matches: bool) -> str | None:
    if seen.user_id is None:
        return "unknownUser"
    if not matches:
        return "badPassword"
    if seen.locked:
        return "locked"
    if seen.disabled:
        return "disabled"
    return None
