"""Tables of the Sessions service: sessions, their audit trail, contexts and context history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, MetaData, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fountainai.core.db import NAMING_CONVENTION, UtcDateTime, utcnow

# BIGINT ids, but SQLite only auto-increments an INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")
# For "no value" (a key that did not exist, or was deleted): SQL NULL, not JSON null.
NullableJson = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
Timestamp = UtcDateTime()
Subject = String(128)  # token subjects and usernames are at most 128 characters


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class WorkSession(Base):
    """A user's working session; ``context`` is a JSON list of strings, never joined."""

    __tablename__ = "sessions_sessions"
    __table_args__ = (
        Index("ix_sessions_sessions_owner", "owner", "id"),
        Index("ix_sessions_sessions_script", "script_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(Subject)
    owner_name: Mapped[str] = mapped_column(Subject)
    title: Mapped[str] = mapped_column(String(200))
    script_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    context: Mapped[list[str]] = mapped_column(Json, default=list)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class SessionAudit(Base):
    """Every write to a session, with who made it and its ``comment`` (kept after a delete)."""

    __tablename__ = "sessions_audit"
    __table_args__ = (Index("ix_sessions_audit_session", "session_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    action: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[int] = mapped_column(BigInteger)
    owner: Mapped[str] = mapped_column(Subject)
    actor: Mapped[str] = mapped_column(Subject)
    comment: Mapped[str] = mapped_column(String(2000), default="")
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)


class TargetContext(Base):
    """The current context of one story element, and its revision (one per changing write).

    ``script_id`` is the element's script as Central Sequence answered on the last write (a
    script's own context: itself); NULL only for rows from before it was kept, until their next
    write. It lets a whole script's contexts be read at once.
    """

    __tablename__ = "sessions_contexts"
    __table_args__ = (
        Index("ix_sessions_contexts_script", "script_id", "target_type", "target_id"),
    )

    target_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    target_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    script_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    state: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class ContextChange(Base):
    """One key's change: its value before and after (NULL = absent), in revision ``revision``."""

    __tablename__ = "sessions_context_changes"
    __table_args__ = (
        Index("ix_sessions_context_changes_target", "target_type", "target_id", "revision"),
        Index("ix_sessions_context_changes_key", "target_type", "target_id", "key", "revision"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int] = mapped_column(BigInteger)
    revision: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(100))
    old_value: Mapped[Any] = mapped_column(NullableJson, nullable=True)
    new_value: Mapped[Any] = mapped_column(NullableJson, nullable=True)
    actor: Mapped[str] = mapped_column(Subject)
    comment: Mapped[str] = mapped_column(String(2000), default="")
    changed_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
