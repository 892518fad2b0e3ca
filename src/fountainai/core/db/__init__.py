"""SQLAlchemy 2 async: engines, the per-request session, repositories, per-service migrations."""

from fountainai.core.db.base import (
    NAMING_CONVENTION,
    NEVER_REUSED_IDS,
    BigId,
    JsonDocument,
    UtcDateTime,
    utcnow,
)
from fountainai.core.db.engine import create_engine, is_sqlite
from fountainai.core.db.migrations import Migrations
from fountainai.core.db.repository import Repository
from fountainai.core.db.session import (
    SessionDep,
    Transactions,
    TransactionsDep,
    get_session,
    get_transactions,
)

__all__ = [
    "NAMING_CONVENTION",
    "NEVER_REUSED_IDS",
    "BigId",
    "JsonDocument",
    "Migrations",
    "Repository",
    "SessionDep",
    "Transactions",
    "TransactionsDep",
    "UtcDateTime",
    "create_engine",
    "get_session",
    "get_transactions",
    "is_sqlite",
    "utcnow",
]
