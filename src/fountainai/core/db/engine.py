"""Async engines for SQLite (aiosqlite, the embedded default) and PostgreSQL (asyncpg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    """Build the engine for a database URL.

    SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` for every transaction: a writer takes
    the write lock when it starts instead of failing with SQLITE_BUSY when it upgrades mid-way.
    That serialises writers across every process sharing the file, which is what makes per-script
    sequence allocation correct on the embedded backend.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No pool_pre_ping: it costs three round trips per checkout (measured in
        # bench/sequence_alloc.py). A connection that died is invalidated on first use, that
        # request answers 503 (core.problems), and connections are recycled every 30 minutes.
        # No overflow: overflow connections are closed on return, and under load that churn
        # (connect, TLS probe, re-preparing statements) cost more than queueing for a connection.
        return create_async_engine(
            url, pool_size=pool_size, max_overflow=0, pool_recycle=1800, echo=echo
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )
    _make_sqlite_transactions_immediate(engine)
    return engine


def _make_sqlite_transactions_immediate(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so the "begin" hook below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Autocommit work (the readiness probe) must not queue behind writers for the lock.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
