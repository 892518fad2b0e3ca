"""One-time codes: six random digits sent out of band, short-lived, few guesses, newest only."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from fountainai.core.crypto import MasterKey
from fountainai.services.twofa.clock import Clock
from fountainai.services.twofa.codes.formats import keyed_hash
from fountainai.services.twofa.codes.repository import CodeRepository
from fountainai.services.twofa.config import TwofaSettings
from fountainai.services.twofa.errors import TooManyCodesSent, retry_after

PEPPER_PURPOSE: Final = "twofa-one-time-codes"
CODE_DIGITS: Final = 6
RESEND_DETAIL = "Too many codes were sent to this account; retry later."


@dataclass(frozen=True, slots=True)
class IssuedCode:
    code: str
    expires_at: datetime


class OneTimeCodes:
    def __init__(
        self,
        repository: CodeRepository,
        master_key: MasterKey,
        clock: Clock,
        settings: TwofaSettings,
    ) -> None:
        self._repository = repository
        self._pepper = master_key.derive(PEPPER_PURPOSE)
        self._clock = clock
        self._ttl = timedelta(seconds=settings.otp_ttl_seconds)
        self._max_attempts = settings.otp_max_attempts
        self._resend_max = settings.resend_max
        self._resend_window = timedelta(seconds=settings.resend_window_seconds)

    async def issue(self, subject: str) -> IssuedCode:
        """A new code for the account (its earlier ones die), within the resend limit."""
        now = self._clock.now()
        window_start = now - self._resend_window
        if not await self._repository.reserve_send(
            subject, now=now, window_start=window_start, limit=self._resend_max
        ):
            account = await self._repository.account(subject)
            started = account.sending_window_started_at if account else now
            until = started + self._resend_window
            raise TooManyCodesSent(RESEND_DETAIL, headers=retry_after(until, now))
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        expires_at = now + self._ttl
        await self._repository.replace_one_time_code(
            subject, keyed_hash(self._pepper, subject, code), now=now, expires_at=expires_at
        )
        return IssuedCode(code=code, expires_at=expires_at)

    async def verify(self, subject: str, code: str) -> bool:
        """Spend the live code if ``code`` is it; every guess counts against that code."""
        now = self._clock.now()
        live = await self._repository.live_one_time_code(subject, now=now)
        if live is None or not await self._repository.count_one_time_attempt(
            live.id, limit=self._max_attempts
        ):
            return False
        if not hmac.compare_digest(live.code_hash, keyed_hash(self._pepper, subject, code)):
            return False
        return await self._repository.consume_one_time_code(live.id, now=now)
