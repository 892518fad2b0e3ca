"""Login with a second factor: the ticket of a right password, plus a code 2FA accepts, gives
the usual token pair with ``amr`` ["pwd", "otp"] (its refresh family keeps that ``amr``).

Three short transactions, none held while 2FA is asked: check the ticket (and reserve one of
its attempts), ask 2FA, then spend the ticket and issue tokens. Every step is audited.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, NoReturn

from fountainai.core import AppError, Unauthorized
from fountainai.core.db import Transactions, utcnow
from fountainai.services.kms.accounts.repository import UserRepository
from fountainai.services.kms.accounts.schemas import TokenResponse
from fountainai.services.kms.accounts.tokens import TokenPairs, commit_and_raise, seconds_until
from fountainai.services.kms.audit.events import Outcome, SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.mfa.client import TwoFactorClient
from fountainai.services.kms.mfa.schemas import MfaCodeSent
from fountainai.services.kms.mfa.tickets import MfaTicketRepository, ticket_state
from fountainai.services.kms.signing.tokens import AccessTokenIssuer

TICKET_REJECTED: Final = "The login ticket is invalid, expired or used up; log in again."
MFA_AMR: Final = ("pwd", "otp")


@dataclass(frozen=True, slots=True)
class Holder:
    """A usable ticket's account, as read in the first transaction."""

    ticket_id: str
    user_id: str
    username: str
    expires_at: datetime


class MfaLogin:
    def __init__(
        self,
        transactions: Transactions,
        settings: KmsSettings,
        *,
        issuer: AccessTokenIssuer,
        twofa: TwoFactorClient,
    ) -> None:
        self._transactions = transactions
        self._settings = settings
        self._issuer = issuer
        self._twofa = twofa

    async def send_code(self, ticket: str, *, ip: str) -> MfaCodeSent:
        """Have 2FA deliver a one-time code to the ticket's account (no attempt is counted)."""
        holder = await self._holder(ticket, SecurityEvent.MFA_CODE_SEND, ip=ip, reserve=False)
        try:
            sent = await self._twofa.send_code(user_id=holder.user_id, username=holder.username)
        except AppError as exc:
            await self._record(SecurityEvent.MFA_CODE_SEND, holder, ip, _failure(exc))
            raise
        await self._record(
            SecurityEvent.MFA_CODE_SEND, holder, ip, {"channel": sent.channel}, Outcome.SUCCESS
        )
        until = holder.expires_at
        if sent.expires_at is not None:
            until = min(until, sent.expires_at)
        return MfaCodeSent(delivered=sent.delivered, expires_in=seconds_until(until))

    async def complete(self, ticket: str, code: str, *, ip: str) -> TokenResponse:
        holder = await self._holder(ticket, SecurityEvent.MFA_LOGIN, ip=ip, reserve=True)
        try:
            verified = await self._twofa.verify(
                user_id=holder.user_id, username=holder.username, code=code
            )
        except AppError as exc:
            if exc.status == 422:  # not a code at all: no guess, so no attempt spent
                async with self._transactions() as session:
                    await MfaTicketRepository(session).refund_attempt(holder.ticket_id)
            await self._record(SecurityEvent.MFA_LOGIN, holder, ip, _failure(exc))
            raise
        async with self._transactions() as session:
            audit = AuditRepository(session)
            reason = None
            if not await MfaTicketRepository(session).consume(holder.ticket_id, utcnow()):
                reason = "ticketUsed"  # a parallel request spent it first
            user = await UserRepository(session).get(holder.user_id, for_update=True)
            if reason is None and (user is None or user.disabled_at is not None):
                reason = "disabled"
            details = {"ticketId": holder.ticket_id, "method": verified.method}
            if reason is not None:
                await _reject(audit, SecurityEvent.MFA_LOGIN, holder, ip, reason)
            assert user is not None
            pair = TokenPairs(session, self._settings, self._issuer)
            tokens = await pair.for_login(user, amr=list(MFA_AMR), auth_time=int(time.time()))
            await audit.record(
                SecurityEvent.MFA_LOGIN,
                actor=holder.username,
                target=holder.user_id,
                ip=ip,
                details=details,
            )
            return tokens

    async def _holder(self, ticket: str, event: SecurityEvent, *, ip: str, reserve: bool) -> Holder:
        """The ticket's account, or a 401 (audited) for any ticket that cannot be used."""
        max_attempts = self._settings.mfa_ticket_max_attempts
        async with self._transactions() as session:
            tickets = MfaTicketRepository(session)
            row = await tickets.by_ticket(ticket)
            now = utcnow()
            reason = ticket_state(row, now=now, max_attempts=max_attempts)
            if (
                row is not None
                and reason is None
                and reserve
                and not await tickets.reserve_attempt(row.id, now=now, max_attempts=max_attempts)
            ):
                reason = "ticketExhausted"  # parallel attempts took the last ones
            user = await UserRepository(session).get(row.user_id) if row is not None else None
            if reason is None and (user is None or user.disabled_at is not None):
                reason = "disabled"
            holder = Holder(
                ticket_id=row.id if row else "",
                user_id=user.id if user else "",
                username=user.username if user else "",
                expires_at=row.expires_at if row else now,
            )
            if reason is not None:
                await _reject(AuditRepository(session), event, holder, ip, reason)
            return holder

    async def _record(
        self,
        event: SecurityEvent,
        holder: Holder,
        ip: str,
        details: dict[str, Any],
        outcome: Outcome = Outcome.FAILURE,
    ) -> None:
        async with self._transactions() as session:
            await AuditRepository(session).record(
                event,
                outcome,
                actor=holder.username,
                target=holder.user_id,
                ip=ip,
                details={"ticketId": holder.ticket_id, **details},
            )


async def _reject(
    audit: AuditRepository, event: SecurityEvent, holder: Holder, ip: str, reason: str
) -> NoReturn:
    await audit.record(
        event,
        Outcome.FAILURE,
        actor=holder.username or None,
        target=holder.user_id or None,
        ip=ip,
        details={"reason": reason, "ticketId": holder.ticket_id or None},
    )
    await commit_and_raise(audit.session, Unauthorized(TICKET_REJECTED))


def _failure(exc: AppError) -> dict[str, Any]:
    """What 2FA (or reaching it) answered, for the audit log: status and problem type."""
    return {"reason": "twofa", "status": exc.status, "problem": exc.type_uri().rsplit("/", 1)[-1]}
