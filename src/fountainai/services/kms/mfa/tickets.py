"""MFA tickets: what a right password buys an account that has a second factor.

A ticket is 256 random bits, handed out once and stored only as its SHA-256. It lives
``mfa_ticket_seconds``, admits ``mfa_ticket_max_attempts`` codes (each attempt is reserved by one
conditional UPDATE before the code is checked, so parallel guesses cannot exceed the limit), and
is spent by the first code that passes.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.db import Repository, utcnow
from fountainai.services.kms.accounts.schemas import MfaRequired
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import MfaTicket, User

TICKET_PREFIX: Final = "mft_"
MFA_METHODS: Final = ("totp", "otp", "recovery")


def new_ticket() -> str:
    return TICKET_PREFIX + secrets.token_urlsafe(32)


def ticket_digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("utf-8", "surrogatepass")).hexdigest()


class MfaTicketRepository(Repository):
    async def add(self, ticket: MfaTicket) -> None:
        self.session.add(ticket)
        await self.session.flush()

    async def by_ticket(self, ticket: str) -> MfaTicket | None:
        if not ticket.startswith(TICKET_PREFIX):
            return None
        query = (
            select(MfaTicket)
            .where(MfaTicket.ticket_hash == ticket_digest(ticket))
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(query)).one_or_none()

    async def reserve_attempt(self, ticket_id: str, *, now: datetime, max_attempts: int) -> bool:
        """Count one attempt, if the ticket is unspent, unexpired and has attempts left."""
        result = await self.session.execute(
            update(MfaTicket)
            .where(
                MfaTicket.id == ticket_id,
                MfaTicket.consumed_at.is_(None),
                MfaTicket.expires_at > now,
                MfaTicket.attempts < max_attempts,
            )
            .values(attempts=MfaTicket.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def refund_attempt(self, ticket_id: str) -> None:
        await self.session.execute(
            update(MfaTicket)
            .where(MfaTicket.id == ticket_id, MfaTicket.attempts > 0)
            .values(attempts=MfaTicket.attempts - 1)
            .execution_options(synchronize_session=False)
        )

    async def consume(self, ticket_id: str, now: datetime) -> bool:
        """Spend the ticket; False if another request already did."""
        result = await self.session.execute(
            update(MfaTicket)
            .where(MfaTicket.id == ticket_id, MfaTicket.consumed_at.is_(None))
            .values(consumed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def delete_for_user(self, user_id: str) -> None:
        await self.session.execute(delete(MfaTicket).where(MfaTicket.user_id == user_id))

    async def purge_expired(self, now: datetime) -> None:
        await self.session.execute(delete(MfaTicket).where(MfaTicket.expires_at <= now))


def ticket_state(ticket: MfaTicket | None, *, now: datetime, max_attempts: int) -> str | None:
    """Why a ticket cannot be used (for the audit log), or None if it can."""
    if ticket is None:
        return "unknownTicket"
    if ticket.consumed_at is not None:
        return "ticketUsed"
    if ticket.expires_at <= now:
        return "ticketExpired"
    if ticket.attempts >= max_attempts:
        return "ticketExhausted"
    return None


class MfaTickets:
    def __init__(self, session: AsyncSession, settings: KmsSettings) -> None:
        self._repo = MfaTicketRepository(session)
        self._lifetime = timedelta(seconds=settings.mfa_ticket_seconds)

    async def issue(self, user: User) -> tuple[str, MfaRequired]:
        """A new ticket for ``user``: its row id (for the audit log) and the answer to send."""
        now = utcnow()
        await self._repo.purge_expired(now)
        ticket = new_ticket()
        row = MfaTicket(
            id=str(uuid.uuid4()),
            ticket_hash=ticket_digest(ticket),
            user_id=user.id,
            created_at=now,
            expires_at=now + self._lifetime,
            attempts=0,
        )
        await self._repo.add(row)
        answer = MfaRequired(
            ticket=ticket,
            expires_in=int(self._lifetime.total_seconds()),
            methods=list(MFA_METHODS),
        )
        return row.id, answer
