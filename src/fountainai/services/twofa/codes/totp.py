"""TOTP (RFC 6238: SHA-1, 6 digits, 30 s) with replay protection pyotp does not have.

A code is accepted in steps -w..+w around now (w = ``totp_valid_window``, default 1) and only if
its step is later than the last accepted one, claimed in one conditional UPDATE: of two requests
with the same code, exactly one wins.
"""

from __future__ import annotations

import pyotp

from fountainai.core.crypto import MasterKey
from fountainai.services.twofa.clock import Clock
from fountainai.services.twofa.codes.repository import CodeRepository
from fountainai.services.twofa.models import TotpEnrolment


def totp_aad(subject: str) -> bytes:
    return f"twofa-totp:{subject}".encode()


class TotpCodes:
    def __init__(
        self,
        repository: CodeRepository,
        master_key: MasterKey,
        clock: Clock,
        *,
        valid_window: int,
    ) -> None:
        self._repository = repository
        self._master_key = master_key
        self._clock = clock
        self._valid_window = valid_window

    def new_secret(self, subject: str) -> tuple[str, bytes]:
        """A fresh 160-bit base32 secret, and the same sealed for storage."""
        secret = pyotp.random_base32()
        return secret, self._master_key.seal(secret.encode(), associated_data=totp_aad(subject))

    def secret_of(self, enrolment: TotpEnrolment) -> str:
        sealed = enrolment.secret_sealed
        return self._master_key.open(sealed, associated_data=totp_aad(enrolment.subject)).decode()

    async def verify(self, subject: str, code: str, *, pending: bool = False) -> bool:
        """Does ``code`` match the (confirmed, or with ``pending`` the unconfirmed) secret?"""
        enrolment = await self._repository.totp(subject)
        if enrolment is None or (enrolment.confirmed_at is None) != pending:
            return False
        step = self._matching_step(self.secret_of(enrolment), code)
        return step is not None and await self._repository.claim_totp_step(subject, step)

    def _matching_step(self, secret: str, code: str) -> int | None:
        totp = pyotp.TOTP(secret)
        try:
            return totp.verify_and_get_timecode(
                code, for_time=self._clock.time(), valid_window=self._valid_window
            )
        except pyotp.exceptions.OTPVerificationError:
            return None
