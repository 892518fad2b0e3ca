"""Tables of the Story Factory: the ledger of imports (the stories themselves live in the
services that own their elements)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fountainai.core.db import NAMING_CONVENTION, JsonDocument, UtcDateTime, utcnow

Timestamp = UtcDateTime()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class StoryImport(Base):
    """One import: which script it made, how far it got, and what was reported.

    ``status``: ``running`` → ``completed``; or ``rolled_back`` (failed, the partial script
    removed); or ``rollback_pending`` (failed and the removal failed too: the script is still
    marked ``importing`` at Scripts, and ``DELETE /stories/imports/{id}`` retries it).
    """

    __tablename__ = "story_imports"
    __table_args__ = (Index("ix_story_imports_created_by_created", "created_by", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    script_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    source_format: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255), default="")
    source_bytes: Mapped[int] = mapped_column(Integer, default=0)
    elements_total: Mapped[int] = mapped_column(Integer, default=0)
    elements_done: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    error: Mapped[str] = mapped_column(String(2000), default="")
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
