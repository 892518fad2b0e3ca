"""Every service's migrations ship in the package, use its own version table, and match its models.

Services share a PostgreSQL database in some deployments (and in this test run), so each
comparison looks only at the service's own tables.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, inspect

from fountainai.cli.registry import SERVICES
from fountainai.core.db import create_engine


def models_metadata(service: str) -> MetaData:
    metadata: MetaData = importlib.import_module(
        f"fountainai.services.{service}.models"
    ).Base.metadata
    return metadata


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_upgrade_uses_the_service_version_table_and_matches_models(
    database_url: str, service: str
) -> None:
    migrations = SERVICES[service].definition.migrations
    assert migrations is not None
    metadata = models_metadata(service)
    engine = create_engine(database_url)
    try:
        await migrations.upgrade(engine)
        await migrations.upgrade(engine)  # idempotent
        assert await migrations.current(engine) == migrations.head()

        def own(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
            table = obj if type_ == "table" else getattr(obj, "table", None)
            return table is None or table.name in metadata.tables

        def check(connection: Connection) -> None:
            tables = set(inspect(connection).get_table_names())
            assert f"alembic_version_{service}" in tables
            assert "alembic_version" not in tables
            # Exactly the models' tables, all carrying the service's prefix (no strays).
            assert all(name.startswith(f"{service}_") for name in metadata.tables)
            assert {name for name in tables if name.startswith(f"{service}_")} == set(
                metadata.tables
            )
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "version_table": migrations.version_table,
                    "include_object": own,
                },
            )
            assert compare_metadata(context, metadata) == []

        async with engine.connect() as conn:
            await conn.run_sync(check)
    finally:
        await engine.dispose()
