"""Tables of the Scripts service: scripts, their section tree, the elements placed in them
(transitions and the Fountain-only markup kinds), and the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, MetaData, String, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fountainai.core.db import (
    NAMING_CONVENTION,
    NEVER_REUSED_IDS,
    BigId,
    JsonDocument,
    UtcDateTime,
    utcnow,
)
from fountainai.core.outbox import outbox_table
from fountainai.core.story import PlacedColumns

Id = BigId
Json = JsonDocument
Timestamp = UtcDateTime()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Script(Base):
    __tablename__ = "scripts_scripts"
    __table_args__ = (Index("ix_scripts_scripts_created", "created_at", "id"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(10_000), default="")
    # Ordered [{"key", "value"}]: Fountain title-page keys may repeat.
    title_page: Mapped[list[dict[str, str]]] = mapped_column(Json, default=list)
    # An unfinished import: any writer may delete it without a second factor. Never part of a
    # version (a restore must not re-open that), and never set back once cleared.
    importing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class Section(Base):
    """An act, sequence or scene; ``parent_id`` makes the tree (always within one script)."""

    __tablename__ = "scripts_sections"
    __table_args__ = (NEVER_REUSED_IDS,)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    script_id: Mapped[int] = mapped_column(ForeignKey("scripts_scripts.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("scripts_sections.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300), default="")
    # Scenes only: {"prefix", "location", "timeOfDay", "sceneNumber"}.
    heading: Mapped[dict[str, Any] | None] = mapped_column(Json, nullable=True)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class Placed(PlacedColumns):
    """An element placed in a script and optionally in one of its sections (both in this
    database, so both are foreign keys)."""

    script_id: Mapped[int] = mapped_column(ForeignKey("scripts_scripts.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("scripts_sections.id"), nullable=True, index=True
    )


class Transition(Placed, Base):
    __tablename__ = "scripts_transitions"
    __table_args__ = (NEVER_REUSED_IDS,)

    text: Mapped[str] = mapped_column(String(200))
    forced: Mapped[bool] = mapped_column(Boolean, default=False)


class Markup(Placed, Base):
    """The Fountain-only kinds: note, lyric, centered, pageBreak, synopsis.

    One table because they share their shape (a kind and a text); each is still its own element
    type at Central Sequence (``kind``), so ``(kind, id)`` is the element's identity there.
    """

    __tablename__ = "scripts_markup"
    __table_args__ = (NEVER_REUSED_IDS,)

    kind: Mapped[str] = mapped_column(String(16))
    # Empty for a pageBreak, 1..10,000 characters for the others.
    text: Mapped[str] = mapped_column(String(10_000), default="")


outbox = outbox_table(Base.metadata, "scripts")
