"""The outbox table: one per service (``<service>_outbox``), on the service's own metadata."""

from __future__ import annotations

from typing import Literal, get_args

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)
from sqlalchemy.dialects.postgresql import JSONB

from fountainai.core.db import UtcDateTime, utcnow

OutboxOperation = Literal["upsert", "delete"]
OPERATIONS: tuple[OutboxOperation, ...] = get_args(OutboxOperation)
DOCUMENT_ID_LENGTH = 160
ERROR_LENGTH = 500

# BIGINT ids, but SQLite only auto-increments an INTEGER PRIMARY KEY.
_Id = BigInteger().with_variant(Integer(), "sqlite")
_Json = JSON().with_variant(JSONB(), "postgresql")


def outbox_table(metadata: MetaData, service: str) -> Table:
    """Declare ``<service>_outbox`` on ``metadata`` (a declarative ``Base.metadata`` works), so
    the service's Alembic autogenerate creates it alongside the service's own tables."""
    name = f"{service}_outbox"
    operations = ", ".join(f"'{operation}'" for operation in OPERATIONS)
    return Table(
        name,
        metadata,
        Column("id", _Id, primary_key=True, autoincrement=True),
        Column("document_id", String(DOCUMENT_ID_LENGTH), nullable=False),
        Column("operation", String(6), nullable=False),
        Column("payload", _Json, nullable=True),  # None for deletes
        Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
        Column("attempts", Integer, nullable=False, default=0),
        Column("next_attempt_at", UtcDateTime(), nullable=False, default=utcnow),
        Column("delivered_at", UtcDateTime(), nullable=True),
        Column("last_error", String(ERROR_LENGTH), nullable=True),
        CheckConstraint(f"operation IN ({operations})", name="operation"),
        # "Due and undelivered" (delivered_at IS NULL, next_attempt_at <= now), and pruning.
        Index(f"ix_{name}_due", "delivered_at", "next_attempt_at"),
        # A document's other undelivered rows, checked on every claim.
        Index(f"ix_{name}_document", "document_id", "delivered_at"),
    )
