"""Migration 0004 adds ``importing`` (existing scripts are finished) on both backends, and its
downgrade drops it again while SQLite keeps 0003's AUTOINCREMENT."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from fountainai.core.db import create_engine
from fountainai.services.scripts.app import DEFINITION


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Alembic's own downgrade (the ``fountain`` CLI only ever upgrades)."""
    migrations = DEFINITION.migrations
    assert migrations is not None
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(migrations.config(sync), revision))


async def script_columns(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: inspect(sync).get_columns("scripts_scripts")
        )
    return {column["name"] for column in columns}


async def keeps_autoincrement(engine: AsyncEngine) -> bool:
    if engine.dialect.name != "sqlite":
        return True
    async with engine.connect() as connection:
        ddl = (
            await connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'scripts_scripts'")
            )
        ).scalar_one()
    return "AUTOINCREMENT" in ddl


async def test_upgrade_marks_existing_scripts_finished_and_downgrade_drops_it(
    database_url: str,
) -> None:
    migrations = DEFINITION.migrations
    assert migrations is not None
    assert migrations.head() == "0004"
    engine = create_engine(database_url)
    try:
        # On PostgreSQL the run's database may already be at head: step down to 0003 first.
        await migrations.upgrade(engine)
        await downgrade(engine, "0003")
        assert "importing" not in await script_columns(engine)
        assert await keeps_autoincrement(engine)
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO scripts_scripts (id, title, author, description, title_page,"
                    " created_by, created_at, updated_at)"
                    " VALUES (1, 'T', '', '', '[]', 'w', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )

        await migrations.upgrade(engine)
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT id, importing FROM scripts_scripts"))
            assert [(row[0], bool(row[1])) for row in rows] == [(1, False)]
        assert await keeps_autoincrement(engine)

        await downgrade(engine, "0003")
        assert "importing" not in await script_columns(engine)
        assert await keeps_autoincrement(engine)
        async with engine.connect() as connection:
            count = await connection.execute(text("SELECT count(*) FROM scripts_scripts"))
            assert count.scalar_one() == 1
    finally:
        await migrations.upgrade(engine)
        await engine.dispose()
