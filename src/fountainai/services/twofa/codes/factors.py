"""``Factors``: one request's view of an account's second factors; the one way to check a code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.crypto import MasterKey
from fountainai.services.twofa.clock import Clock
from fountainai.services.twofa.codes.attempts import AttemptCounter
from fountainai.services.twofa.codes.formats import Method, is_recovery_code
from fountainai.services.twofa.codes.one_time import OneTimeCodes
from fountainai.services.twofa.codes.recovery import RecoveryCodes
from fountainai.services.twofa.codes.repository import CodeRepository
from fountainai.services.twofa.codes.totp import TotpCodes
from fountainai.services.twofa.config import TwofaSettings
from fountainai.services.twofa.errors import CODE_REJECTED_DETAIL, CodeRejected, commit_and_raise

ANY_METHOD = frozenset(Method)


@dataclass(frozen=True, slots=True)
class AccountRef:
    """Whose factors: the KMS user id and the (normalized) username."""

    subject: str
    username: str


class Factors:
    def __init__(
        self,
        session: AsyncSession,
        settings: TwofaSettings,
        *,
        master_key: MasterKey,
        clock: Clock,
    ) -> None:
        self.session = session
        self.clock = clock
        self.repository = CodeRepository(session)
        self.attempts = AttemptCounter(self.repository, settings, clock)
        self.totp = TotpCodes(
            self.repository, master_key, clock, valid_window=settings.totp_valid_window
        )
        self.recovery = RecoveryCodes(self.repository, master_key, clock)
        self.one_time = OneTimeCodes(self.repository, master_key, clock, settings)

    async def ensure_account(self, account: AccountRef) -> None:
        await self.repository.ensure_account(
            account.subject, account.username, now=self.clock.now()
        )

    async def check(
        self,
        account: AccountRef,
        code: str,
        *,
        methods: frozenset[Method] = ANY_METHOD,
        pending_totp: bool = False,
    ) -> Method:
        """The method that accepted ``code``; else 403 ``code-rejected`` (counted) or 429.

        The attempt is counted before the code is looked at, and kept (committed) on failure.
        """
        await self.ensure_account(account)
        subject = account.subject
        await self.attempts.reserve(subject)
        method = await self._match(subject, code, methods, pending_totp=pending_totp)
        if method is None:
            await self.attempts.failed(subject)
            await commit_and_raise(self.session, CodeRejected(CODE_REJECTED_DETAIL))
        await self.attempts.succeeded(subject)
        return method

    async def _match(
        self, subject: str, code: str, methods: frozenset[Method], *, pending_totp: bool
    ) -> Method | None:
        if is_recovery_code(code):
            accepted = Method.RECOVERY in methods and await self.recovery.use(subject, code)
            return Method.RECOVERY if accepted else None
        if Method.TOTP in methods and await self.totp.verify(subject, code, pending=pending_totp):
            return Method.TOTP
        if Method.OTP in methods and await self.one_time.verify(subject, code):
            return Method.OTP
        return None
