"""Alembic, per service: scripts ship inside the package, each service has its own version table."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from fountainai.core.db.base import UtcDateTime


@dataclass(frozen=True)
class Migrations:
    """A service's migrations: ``package`` holds env.py and versions/."""

    service: str
    package: str

    @property
    def version_table(self) -> str:
        return f"alembic_version_{self.service}"

    @property
    def directory(self) -> Path:
        return Path(str(files(self.package)))

    def config(self, connection: Connection | None = None) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(self.directory))
        cfg.attributes["connection"] = connection
        cfg.attributes["version_table"] = self.version_table
        return cfg

    def head(self) -> str | None:
        return ScriptDirectory.from_config(self.config()).get_current_head()

    async def upgrade(self, engine: AsyncEngine, revision: str = "head") -> None:
        if engine.dialect.name != "sqlite":
            async with engine.begin() as conn:
                await conn.run_sync(self._upgrade_locked, revision)
            return
        # SQLite rebuilds a table to change it (batch migrations): with foreign keys enforced,
        # dropping a referenced table fails. So they are off while migrating (a pragma that only
        # takes effect outside a transaction) and every reference is checked before commit.
        async with engine.connect() as conn:
            await _sqlite_foreign_keys(conn, enforced=False)
            try:
                async with conn.begin():
                    await conn.run_sync(self._upgrade_locked, revision)
                    broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
            finally:
                await _sqlite_foreign_keys(conn, enforced=True)

    async def current(self, engine: AsyncEngine) -> str | None:
        async with engine.connect() as conn:
            return await conn.run_sync(self._current)

    async def revision(self, engine: AsyncEngine, *, message: str, autogenerate: bool) -> None:
        async with engine.begin() as conn:
            await conn.run_sync(self._revision, message, autogenerate)

    def _upgrade_locked(self, connection: Connection, revision: str) -> None:
        if connection.dialect.name == "postgresql":
            # Replicas starting together must not race on the same DDL.
            key = zlib.crc32(self.version_table.encode())
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        command.upgrade(self.config(connection), revision)

    def _current(self, connection: Connection) -> str | None:
        context = MigrationContext.configure(connection, opts={"version_table": self.version_table})
        return context.get_current_revision()

    def _revision(self, connection: Connection, message: str, autogenerate: bool) -> None:
        cfg = self.config(connection)
        # New revision files come out ruff-formatted, as CI demands.
        cfg.set_section_option("post_write_hooks", "hooks", "ruff_format")
        cfg.set_section_option("post_write_hooks", "ruff_format.type", "module")
        cfg.set_section_option("post_write_hooks", "ruff_format.module", "ruff")
        cfg.set_section_option(
            "post_write_hooks", "ruff_format.options", "format REVISION_SCRIPT_FILENAME"
        )
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=autogenerate)


def run_migrations(context: Any, metadata: MetaData) -> None:
    """The body of every service's ``env.py``; ``context`` is the ``alembic.context`` proxy."""
    attributes: dict[str, Any] = context.config.attributes
    connection: Connection | None = attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `fountain db upgrade <service>`")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=attributes["version_table"],
        render_as_batch=True,
        compare_type=True,
        include_object=_only_own_tables,
        render_item=_render_core_types,
    )
    with context.begin_transaction():
        context.run_migrations()


def _only_own_tables(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Services may share one database: autogenerate must never drop another service's tables."""
    return not (type_ == "table" and reflected and compare_to is None)


def _render_core_types(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render core's column types with their import, so generated revisions run as written."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        autogen_context.imports.add("from fountainai.core.db import UtcDateTime")
        return "UtcDateTime()"
    return False


async def _sqlite_foreign_keys(conn: AsyncConnection, *, enforced: bool) -> None:
    autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
    await autocommit.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
    await autocommit.commit()
    await conn.execution_options(isolation_level="SERIALIZABLE")
