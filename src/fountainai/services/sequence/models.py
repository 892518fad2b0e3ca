"""Tables of the Central Sequence service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fountainai.core.db import NAMING_CONVENTION, UtcDateTime, utcnow

# BIGINT ids, but SQLite only auto-increments an INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")
Timestamp = UtcDateTime()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ScriptOrder(Base):
    """One row per script: its element count, and the row every write to that order locks."""

    __tablename__ = "sequence_scripts"

    script_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    length: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class SequencedElement(Base):
    __tablename__ = "sequence_elements"
    __table_args__ = (
        # An element belongs to exactly one script: (type, id) is unique across scripts.
        UniqueConstraint("element_type", "element_id"),
        UniqueConstraint("script_id", "sequence_number"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    script_id: Mapped[int] = mapped_column(BigInteger)
    element_type: Mapped[str] = mapped_column(String(32))
    element_id: Mapped[int] = mapped_column(BigInteger)
    sequence_number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class VersionHead(Base):
    """The latest version number of each element: an atomic counter, upserted per new version."""

    __tablename__ = "sequence_version_heads"

    element_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    element_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    latest: Mapped[int] = mapped_column(Integer, default=0)


class ElementVersion(Base):
    __tablename__ = "sequence_versions"
    __table_args__ = (UniqueConstraint("element_type", "element_id", "version_number"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    element_type: Mapped[str] = mapped_column(String(32))
    element_id: Mapped[int] = mapped_column(BigInteger)
    script_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    version_number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(Json)
    comment: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class AuditEntry(Base):
    """Every write, with its ``comment``: the trail the original API promised and never kept."""

    __tablename__ = "sequence_audit"
    __table_args__ = (
        Index("ix_sequence_audit_script", "script_id", "id"),
        Index("ix_sequence_audit_element", "element_type", "element_id", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    script_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    element_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    element_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    comment: Mapped[str] = mapped_column(String(2000), default="")
    actor: Mapped[str | None] = mapped_column(String(255), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
