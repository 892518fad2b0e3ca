"""Login throttling: a temporary lockout per account and IP, and a coarser limit per IP.

``acct:<name>|ip:<ip>`` counts failures against one name from one address; reaching
``login_max_failures`` within the window locks that pair for ``lockout_seconds`` (the right
password then fails like a wrong one). Keying by name *and* IP means an attacker elsewhere cannot
lock the real user out. ``ip:<ip>`` counts every failure from an address; reaching
``login_ip_max_failures`` answers 429 to that address, checked before any password is hashed.
Unknown names count too, so probing for accounts is throttled like guessing passwords.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.db import utcnow
from fountainai.services.kms.accounts.repository import ThrottleRepository
from fountainai.services.kms.accounts.usernames import throttle_name
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import LoginThrottle


def ip_key(ip: str) -> str:
    return f"ip:{ip[:64]}"


def account_key(username: str, ip: str) -> str:
    return f"acct:{throttle_name(username)}|{ip_key(ip)}"


@dataclass(frozen=True, slots=True)
class FailureOutcome:
    account_locked_until: datetime | None  # set when this failure started a lockout
    ip_locked_until: datetime | None


class LoginThrottler:
    def __init__(self, session: AsyncSession, settings: KmsSettings) -> None:
        self._repo = ThrottleRepository(session)
        self._window = timedelta(seconds=settings.login_failure_window_seconds)
        self._lockout = timedelta(seconds=settings.lockout_seconds)
        self._account_limit = settings.login_max_failures
        self._ip_limit = settings.login_ip_max_failures

    async def ip_retry_after(self, ip: str) -> int | None:
        """Seconds until this address may try again, or None if it may now."""
        row = await self._repo.get(ip_key(ip))
        now = utcnow()
        if row is None or row.locked_until is None or row.locked_until <= now:
            return None
        return max(1, math.ceil((row.locked_until - now).total_seconds()))

    async def account_locked(self, username: str, ip: str) -> bool:
        row = await self._repo.get(account_key(username, ip))
        return row is not None and row.locked_until is not None and row.locked_until > utcnow()

    async def record_failure(self, username: str, ip: str) -> FailureOutcome:
        # Always the IP row first, then the account row: one lock order, no deadlocks.
        ip_locked = await self._count(ip_key(ip), self._ip_limit)
        account_locked = await self._count(account_key(username, ip), self._account_limit)
        return FailureOutcome(account_locked_until=account_locked, ip_locked_until=ip_locked)

    async def reset_account(self, username: str, ip: str) -> None:
        """A successful login forgets the pair's failures (never the IP's: no interleaving)."""
        await self._repo.delete(account_key(username, ip))

    async def _count(self, key: str, limit: int) -> datetime | None:
        """Count one failure; the lockout's end if this one started it."""
        now = utcnow()
        row = await self._repo.lock(key, failures=0, window_started_at=now)
        if row.locked_until is not None and row.locked_until > now:
            return None  # already locked: the lockout is not extended by more attempts
        if row.window_started_at + self._window <= now or row.locked_until is not None:
            _restart(row, now)
        row.failures += 1
        if row.failures >= limit:
            _restart(row, now)
            row.locked_until = now + self._lockout
            return row.locked_until
        return None


def _restart(row: LoginThrottle, now: datetime) -> None:
    row.failures = 0
    row.window_started_at = now
    row.locked_until = None
