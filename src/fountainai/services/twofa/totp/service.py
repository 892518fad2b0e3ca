"""The TOTP rules: enrol, confirm with a first code, disable with a code, new recovery codes.

Switching 2FA on or off tells the KMS before this request's transaction commits: if the KMS
cannot be told, the request fails (503) and nothing here changes.
"""

from __future__ import annotations

from typing import Final

import pyotp

from fountainai.core import Conflict, NotFound
from fountainai.services.twofa.codes.factors import AccountRef, Factors
from fountainai.services.twofa.codes.formats import Method
from fountainai.services.twofa.config import TwofaSettings
from fountainai.services.twofa.kms_client import KmsClient
from fountainai.services.twofa.models import TotpEnrolment
from fountainai.services.twofa.totp.schemas import TotpStatus

ALREADY_ENABLED: Final = "Two-factor authentication is already enabled; disable it first."
NOTHING_PENDING: Final = "There is no pending enrolment; start one with POST /totp/enroll."
NOT_ENABLED: Final = "Two-factor authentication is not enabled for this account."


class TotpService:
    def __init__(self, factors: Factors, kms: KmsClient, settings: TwofaSettings) -> None:
        self._factors = factors
        self._kms = kms
        self._issuer = settings.totp_issuer

    async def status(self, account: AccountRef) -> TotpStatus:
        enrolment = await self._factors.repository.totp(account.subject)
        enabled = enrolment is not None and enrolment.confirmed_at is not None
        remaining = await self._factors.recovery.remaining(account.subject) if enabled else 0
        return TotpStatus(
            enabled=enabled,
            pending=enrolment is not None and enrolment.confirmed_at is None,
            confirmed_at=enrolment.confirmed_at if enrolment else None,
            recovery_codes_remaining=remaining,
        )

    async def enroll(self, account: AccountRef) -> tuple[str, str]:
        """A new pending secret (replacing a pending one) and its otpauth:// URI."""
        await self._factors.ensure_account(account)
        current = await self._factors.repository.totp(account.subject)
        if current is not None and current.confirmed_at is not None:
            raise Conflict(ALREADY_ENABLED)
        secret, sealed = self._factors.totp.new_secret(account.subject)
        now = self._factors.clock.now()
        await self._factors.repository.save_pending_totp(account.subject, sealed, now=now)
        return secret, self._uri(secret, account)

    async def pending_uri(self, account: AccountRef) -> str:
        enrolment = await self._pending(account, conflict_if_enabled=False)
        return self._uri(self._factors.totp.secret_of(enrolment), account)

    async def confirm(self, account: AccountRef, code: str) -> list[str]:
        await self._pending(account, conflict_if_enabled=True)
        factors = self._factors
        await factors.check(account, code, methods=frozenset({Method.TOTP}), pending_totp=True)
        await factors.repository.confirm_totp(account.subject, now=factors.clock.now())
        codes = await factors.recovery.replace(account.subject)
        await self._kms.set_mfa_enabled(account.subject, enabled=True)
        return codes

    async def disable(self, account: AccountRef, code: str) -> None:
        await self._confirmed(account)
        methods = frozenset({Method.TOTP, Method.RECOVERY})
        await self._factors.check(account, code, methods=methods)
        await self._factors.repository.delete_totp(account.subject)
        await self._factors.recovery.delete_all(account.subject)
        await self._kms.set_mfa_enabled(account.subject, enabled=False)

    async def new_recovery_codes(self, account: AccountRef, code: str) -> list[str]:
        await self._confirmed(account)
        await self._factors.check(account, code, methods=frozenset({Method.TOTP}))
        return await self._factors.recovery.replace(account.subject)

    async def _pending(self, account: AccountRef, *, conflict_if_enabled: bool) -> TotpEnrolment:
        enrolment = await self._factors.repository.totp(account.subject)
        if enrolment is not None and enrolment.confirmed_at is None:
            return enrolment
        if enrolment is not None and conflict_if_enabled:
            raise Conflict(ALREADY_ENABLED)
        raise NotFound(NOTHING_PENDING)

    async def _confirmed(self, account: AccountRef) -> TotpEnrolment:
        enrolment = await self._factors.repository.totp(account.subject)
        if enrolment is None or enrolment.confirmed_at is None:
            raise NotFound(NOT_ENABLED)
        return enrolment

    def _uri(self, secret: str, account: AccountRef) -> str:
        totp = pyotp.TOTP(secret)
        return totp.provisioning_uri(name=account.username, issuer_name=self._issuer)
