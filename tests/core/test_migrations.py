"""Migrations ship in the package, use the service's own version table, and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from fountainai.core.db import create_engine
from fountainai.services.sequence.app import DEFINITION
from fountainai.services.sequence.models import Base


async def test_upgrade_uses_the_service_version_table_and_matches_models(
    database_url: str,
) -> None:
    migrations = DEFINITION.migrations
    assert migrations is not None
    engine = create_engine(database_url)
    try:
        await migrations.upgrade(engine)
        await migrations.upgrade(engine)  # idempotent
        assert await migrations.current(engine) == migrations.head()

        def check(connection: Connection) -> None:
            tables = set(inspect(connection).get_table_names())
            assert "alembic_version_sequence" in tables
            assert "alembic_version" not in tables
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "version_table": migrations.version_table}
            )
            assert compare_metadata(context, Base.metadata) == []

        async with engine.connect() as conn:
            await conn.run_sync(check)
    finally:
        await engine.dispose()
