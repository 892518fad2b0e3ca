"""Tables of the KMS service: accounts, MFA tickets, refresh-token families, signing keys, API
keys, audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fountainai.core.db import NAMING_CONVENTION, UtcDateTime, utcnow

# BIGINT ids, but SQLite only auto-increments an INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")
Timestamp = UtcDateTime()
Uuid = String(36)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """An account. ``username`` is the NFKC, case-folded form, so look-alikes cannot coexist."""

    __tablename__ = "kms_users"
    # The revocation feed (read on every request the KMS authenticates) lists users with one.
    __table_args__ = (Index("ix_kms_users_tokens_not_before", "tokens_not_before"),)

    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(Json, default=list)
    # Access tokens of this user with iat < this (epoch seconds) are dead: logout-everywhere etc.
    tokens_not_before: Mapped[int] = mapped_column(BigInteger, default=0)
    mfa_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    password_changed_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)


class MfaTicket(Base):
    """A right password of an account with a second factor: spent by one code that passes.

    Stored as the SHA-256 of the ticket only; ``attempts`` counts codes tried against it.
    """

    __tablename__ = "kms_mfa_tickets"

    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    ticket_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("kms_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(Timestamp, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    consumed_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class RefreshFamily(Base):
    """One login: every refresh token rotated from it, revoked together on reuse."""

    __tablename__ = "kms_refresh_families"
    __table_args__ = (Index("ix_kms_refresh_families_user", "user_id", "revoked_at"),)

    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("kms_users.id", ondelete="CASCADE"))
    amr: Mapped[list[str]] = mapped_column(Json, default=list)
    auth_time: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)


class RefreshToken(Base):
    """One refresh token, stored as its SHA-256 only; ``used_at`` marks it spent."""

    __tablename__ = "kms_refresh_tokens"
    __table_args__ = (Index("ix_kms_refresh_tokens_parent", "parent_id"),)

    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    family_id: Mapped[str] = mapped_column(
        ForeignKey("kms_refresh_families.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    used_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class SigningKey(Base):
    """An Ed25519 key: private half encrypted with the master key, public half as a JWK."""

    __tablename__ = "kms_signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(16))
    public_jwk: Mapped[dict[str, Any]] = mapped_column(Json)
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    activates_at: Mapped[datetime] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class RevokedToken(Base):
    """An access token revoked before its expiry (logout); kept until it would have expired."""

    __tablename__ = "kms_revoked_tokens"

    jti: Mapped[str] = mapped_column(String(128), primary_key=True)
    subject: Mapped[str] = mapped_column(Uuid)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)
    revoked_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


_CURRENT_API_KEY = text("revoked_at IS NULL AND rotated_at IS NULL")


class ApiKey(Base):
    """A service's API key, stored as SHA-256 of the whole key plus its display prefix.

    A service has at most one *current* key (neither revoked nor superseded by a rotation); the
    partial unique index enforces that even for two concurrent creates or rotations. Superseded
    and revoked keys stay as history, so a revoked service can be issued a new key.
    """

    __tablename__ = "kms_api_keys"
    __table_args__ = (
        Index("ix_kms_api_keys_service", "service_name", "revoked_at"),
        Index(
            "uq_kms_api_keys_current",
            "service_name",
            unique=True,
            sqlite_where=_CURRENT_API_KEY,
            postgresql_where=_CURRENT_API_KEY,
        ),
    )

    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    service_name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(Json, default=list)
    created_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    last_used_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    rotated_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class LoginThrottle(Base):
    """Failed logins counted per key (``acct:<user>|ip:<ip>`` or ``ip:<ip>``)."""

    __tablename__ = "kms_login_throttle"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class AuditEvent(Base):
    """One security event: who did what to whom, from where, with which request."""

    __tablename__ = "kms_audit_events"
    __table_args__ = (
        Index("ix_kms_audit_events_event", "event", "id"),
        Index("ix_kms_audit_events_actor", "actor", "id"),
        Index("ix_kms_audit_events_target", "target", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    event: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str | None] = mapped_column(String(128), nullable=True)
    target: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
