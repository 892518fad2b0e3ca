"""Every query of the code domain. Counters change in single conditional UPDATEs (race-free)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, Update, and_, case, delete, func, or_, select, update

from fountainai.core.db import Repository
from fountainai.core.db.upsert import dialect_insert
from fountainai.services.twofa.models import Account, OneTimeCode, RecoveryCode, TotpEnrolment


class CodeRepository(Repository):
    async def _rowcount(self, statement: Update | Delete) -> int:
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return cast("CursorResult[Any]", result).rowcount

    # Accounts and their counters

    async def ensure_account(self, subject: str, username: str, *, now: datetime) -> None:
        """Create the account row if missing; keep its username current."""
        insert = dialect_insert(self.dialect, Account).values(
            subject=subject,
            username=username,
            failed_attempts=0,
            attempts_window_started_at=now,
            codes_sent=0,
            sending_window_started_at=now,
            created_at=now,
        )
        await self.session.execute(
            insert.on_conflict_do_update(
                index_elements=[Account.subject],
                set_={"username": insert.excluded.username},
                where=Account.username != insert.excluded.username,
            )
        )

    async def account(self, subject: str) -> Account | None:
        return await self.session.get(Account, subject, populate_existing=True)

    async def accounts_named(self, username: str) -> Sequence[Account]:
        query = select(Account).where(Account.username == username).limit(2)
        return (await self.session.scalars(query)).all()

    async def reserve_attempt(
        self, subject: str, *, now: datetime, window_start: datetime, limit: int
    ) -> bool:
        """Count one attempt before it is checked, unless the account is at its limit."""
        lockout_over = and_(Account.locked_until.is_not(None), Account.locked_until <= now)
        window_over = and_(
            Account.locked_until.is_(None), Account.attempts_window_started_at <= window_start
        )
        restart = or_(lockout_over, window_over)
        below_limit = and_(Account.locked_until.is_(None), Account.failed_attempts < limit)
        statement = (
            update(Account)
            .where(Account.subject == subject, or_(restart, below_limit))
            .values(
                failed_attempts=case((restart, 1), else_=Account.failed_attempts + 1),
                attempts_window_started_at=case(
                    (restart, now), else_=Account.attempts_window_started_at
                ),
                locked_until=None,
            )
        )
        return await self._rowcount(statement) == 1

    async def lock_if_at_limit(self, subject: str, *, limit: int, until: datetime) -> None:
        """After a failed attempt: the one that reached the limit starts the lockout."""
        await self._rowcount(
            update(Account)
            .where(Account.subject == subject, Account.failed_attempts >= limit)
            .values(locked_until=until)
        )

    async def reset_attempts(self, subject: str, *, now: datetime) -> None:
        await self._rowcount(
            update(Account)
            .where(Account.subject == subject)
            .values(failed_attempts=0, attempts_window_started_at=now, locked_until=None)
        )

    async def reserve_send(
        self, subject: str, *, now: datetime, window_start: datetime, limit: int
    ) -> bool:
        """Count one code sent, unless the account sent ``limit`` in the current window."""
        restart = Account.sending_window_started_at <= window_start
        statement = (
            update(Account)
            .where(Account.subject == subject, or_(restart, Account.codes_sent < limit))
            .values(
                codes_sent=case((restart, 1), else_=Account.codes_sent + 1),
                sending_window_started_at=case(
                    (restart, now), else_=Account.sending_window_started_at
                ),
            )
        )
        return await self._rowcount(statement) == 1

    # TOTP

    async def totp(self, subject: str) -> TotpEnrolment | None:
        return await self.session.get(TotpEnrolment, subject, populate_existing=True)

    async def save_pending_totp(self, subject: str, sealed: bytes, *, now: datetime) -> None:
        """A new unconfirmed secret, replacing a pending one (a new secret: no steps used)."""
        enrolment = await self.totp(subject)
        if enrolment is None:
            self.session.add(TotpEnrolment(subject=subject, secret_sealed=sealed, created_at=now))
        else:
            enrolment.secret_sealed = sealed
            enrolment.created_at = now
            enrolment.confirmed_at = None
            enrolment.last_used_step = None
        await self.session.flush()

    async def claim_totp_step(self, subject: str, step: int) -> bool:
        """Record ``step`` as used; False if it (or a later one) already was: a replay."""
        unused = or_(TotpEnrolment.last_used_step.is_(None), TotpEnrolment.last_used_step < step)
        statement = (
            update(TotpEnrolment)
            .where(TotpEnrolment.subject == subject, unused)
            .values(last_used_step=step)
        )
        return await self._rowcount(statement) == 1

    async def confirm_totp(self, subject: str, *, now: datetime) -> bool:
        statement = (
            update(TotpEnrolment)
            .where(TotpEnrolment.subject == subject, TotpEnrolment.confirmed_at.is_(None))
            .values(confirmed_at=now)
        )
        return await self._rowcount(statement) == 1

    async def delete_totp(self, subject: str) -> None:
        await self._rowcount(delete(TotpEnrolment).where(TotpEnrolment.subject == subject))

    # Recovery codes

    async def replace_recovery_codes(
        self, subject: str, hashes: Sequence[str], *, now: datetime
    ) -> None:
        await self.delete_recovery_codes(subject)
        self.session.add_all(
            RecoveryCode(subject=subject, code_hash=code_hash, created_at=now)
            for code_hash in hashes
        )
        await self.session.flush()

    async def use_recovery_code(self, subject: str, code_hash: str, *, now: datetime) -> bool:
        statement = (
            update(RecoveryCode)
            .where(
                RecoveryCode.subject == subject,
                RecoveryCode.code_hash == code_hash,
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=now)
        )
        return await self._rowcount(statement) == 1

    async def recovery_codes_left(self, subject: str) -> int:
        query = select(func.count()).where(
            RecoveryCode.subject == subject, RecoveryCode.used_at.is_(None)
        )
        return int(await self.session.scalar(query) or 0)

    async def delete_recovery_codes(self, subject: str) -> None:
        await self._rowcount(delete(RecoveryCode).where(RecoveryCode.subject == subject))

    # One-time codes

    async def replace_one_time_code(
        self, subject: str, code_hash: str, *, now: datetime, expires_at: datetime
    ) -> None:
        """The new code is the account's only one: sending a code kills the ones before."""
        await self._rowcount(delete(OneTimeCode).where(OneTimeCode.subject == subject))
        self.session.add(
            OneTimeCode(subject=subject, code_hash=code_hash, created_at=now, expires_at=expires_at)
        )
        await self.session.flush()

    async def live_one_time_code(self, subject: str, *, now: datetime) -> OneTimeCode | None:
        query = (
            select(OneTimeCode)
            .where(
                OneTimeCode.subject == subject,
                OneTimeCode.consumed_at.is_(None),
                OneTimeCode.expires_at > now,
            )
            .order_by(OneTimeCode.id.desc())
            .limit(1)
        )
        return (await self.session.scalars(query)).first()

    async def count_one_time_attempt(self, code_id: int, *, limit: int) -> bool:
        """One guess at this code; False once it has had ``limit``."""
        statement = (
            update(OneTimeCode)
            .where(OneTimeCode.id == code_id, OneTimeCode.attempts < limit)
            .values(attempts=OneTimeCode.attempts + 1)
        )
        return await self._rowcount(statement) == 1

    async def consume_one_time_code(self, code_id: int, *, now: datetime) -> bool:
        statement = (
            update(OneTimeCode)
            .where(OneTimeCode.id == code_id, OneTimeCode.consumed_at.is_(None))
            .values(consumed_at=now)
        )
        return await self._rowcount(statement) == 1
