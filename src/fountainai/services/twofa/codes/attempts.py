"""One failed-code counter per account, shared by TOTP, one-time and recovery codes.

An attempt is reserved (counted) *before* the code is checked, in one conditional UPDATE, so
concurrent guesses cannot get past the limit; a success resets the counter, and the failure that
reaches the limit locks the account for ``lockout_seconds`` (429 with Retry-After until then).
"""

from __future__ import annotations

from datetime import timedelta

from fountainai.services.twofa.clock import Clock
from fountainai.services.twofa.codes.repository import CodeRepository
from fountainai.services.twofa.config import TwofaSettings
from fountainai.services.twofa.errors import TooManyAttempts, retry_after

LOCKED_DETAIL = "Too many wrong codes for this account; retry later."


class AttemptCounter:
    def __init__(self, repository: CodeRepository, settings: TwofaSettings, clock: Clock) -> None:
        self._repository = repository
        self._clock = clock
        self._limit = settings.max_attempts
        self._window = timedelta(seconds=settings.attempt_window_seconds)
        self._lockout = timedelta(seconds=settings.lockout_seconds)

    async def reserve(self, subject: str) -> None:
        """Count one attempt now, or raise 429 if the account is locked or at its limit."""
        now = self._clock.now()
        reserved = await self._repository.reserve_attempt(
            subject, now=now, window_start=now - self._window, limit=self._limit
        )
        if reserved:
            return
        account = await self._repository.account(subject)
        until = account.locked_until if account and account.locked_until else now + self._lockout
        raise TooManyAttempts(LOCKED_DETAIL, headers=retry_after(until, now))

    async def failed(self, subject: str) -> None:
        await self._repository.lock_if_at_limit(
            subject, limit=self._limit, until=self._clock.now() + self._lockout
        )

    async def succeeded(self, subject: str) -> None:
        await self._repository.reset_attempts(subject, now=self._clock.now())
