"""Tables of the 2FA service: accounts with their counters, TOTP, recovery and one-time codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fountainai.core.db import NAMING_CONVENTION, UtcDateTime, utcnow

# BIGINT ids, but SQLite only auto-increments an INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")
Timestamp = UtcDateTime()
Subject = String(128)  # the KMS user id (a UUID) from the access token's `sub`
Hmac = String(64)  # hex HMAC-SHA256


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Account(Base):
    """A user as 2FA knows them, with the one failed-code counter all their factors share."""

    __tablename__ = "twofa_accounts"

    subject: Mapped[str] = mapped_column(Subject, primary_key=True)
    username: Mapped[str] = mapped_column(String(256), index=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    attempts_window_started_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    codes_sent: Mapped[int] = mapped_column(Integer, default=0)
    sending_window_started_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class TotpEnrolment(Base):
    """A TOTP secret sealed with the master key; pending until ``confirmed_at`` is set."""

    __tablename__ = "twofa_totp"

    subject: Mapped[str] = mapped_column(
        ForeignKey("twofa_accounts.subject", ondelete="CASCADE"), primary_key=True
    )
    secret_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    # The highest accepted time step: codes of this step or earlier are replays.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class RecoveryCode(Base):
    """One single-use recovery code, stored as its keyed hash only."""

    __tablename__ = "twofa_recovery_codes"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(
        ForeignKey("twofa_accounts.subject", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(Hmac, unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class OneTimeCode(Base):
    """A delivered one-time code (keyed hash only); only an account's newest row exists."""

    __tablename__ = "twofa_one_time_codes"
    __table_args__ = (Index("ix_twofa_one_time_codes_subject", "subject", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(ForeignKey("twofa_accounts.subject", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(Hmac)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    consumed_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
