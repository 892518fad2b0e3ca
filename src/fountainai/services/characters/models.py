"""Tables of the Characters service: characters, the actions and lines (spoken words) placed in
a script's sections, paraphrases of any element, and the outbox.

Scripts and sections live in the Scripts service, so ``script_id`` and ``section_id`` are plain
references checked over HTTP; ``character_id`` is a real foreign key (same database).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fountainai.core.db import NAMING_CONVENTION, NEVER_REUSED_IDS, BigId, JsonDocument
from fountainai.core.outbox import outbox_table
from fountainai.core.story import PlacedColumns, ScriptElementColumns

MAX_TEXT = 10_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Character(ScriptElementColumns, Base):
    """Numbered in its script's order where it is introduced (by default: when created)."""

    __tablename__ = "characters_characters"
    __table_args__ = (UniqueConstraint("script_id", "name_key"), NEVER_REUSED_IDS)

    name: Mapped[str] = mapped_column(String(120))
    # casefold(name): names are unique per script whatever their case.
    name_key: Mapped[str] = mapped_column(String(480))
    description: Mapped[str] = mapped_column(String(MAX_TEXT), default="")
    aliases: Mapped[list[str]] = mapped_column(JsonDocument, default=list)


class Action(PlacedColumns, Base):
    __tablename__ = "characters_actions"
    __table_args__ = (NEVER_REUSED_IDS,)

    character_id: Mapped[int | None] = mapped_column(
        ForeignKey("characters_characters.id"), nullable=True, index=True
    )
    text: Mapped[str] = mapped_column(String(MAX_TEXT))
    forced: Mapped[bool] = mapped_column(Boolean, default=False)


class SpokenWord(PlacedColumns, Base):
    """One line of dialogue; the lines of one dialogue block share a ``speech_id``."""

    __tablename__ = "characters_lines"
    __table_args__ = (
        Index("ix_characters_lines_speech", "script_id", "speech_id"),
        NEVER_REUSED_IDS,
    )

    character_id: Mapped[int] = mapped_column(ForeignKey("characters_characters.id"), index=True)
    # Null only inside the transaction that creates a line starting a speech: it becomes its id.
    speech_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    text: Mapped[str] = mapped_column(String(MAX_TEXT))
    parenthetical: Mapped[str] = mapped_column(String(200), default="")
    extensions: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    dual: Mapped[bool] = mapped_column(Boolean, default=False)


class Paraphrase(ScriptElementColumns, Base):
    """Another wording of any numbered element (of this service or another)."""

    __tablename__ = "characters_paraphrases"
    __table_args__ = (
        Index("ix_characters_paraphrases_target", "element_type", "element_id"),
        NEVER_REUSED_IDS,
    )

    element_type: Mapped[str] = mapped_column(String(16))
    element_id: Mapped[int] = mapped_column(BigId)
    text: Mapped[str] = mapped_column(String(MAX_TEXT))
    commentary: Mapped[str] = mapped_column(String(MAX_TEXT), default="")


outbox = outbox_table(Base.metadata, "characters")
