"""Migration 0001 builds exactly the models' tables on both backends; settings are described."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from fountainai.core import ServiceSettings
from fountainai.core.db import create_engine
from fountainai.services.scripts.app import DEFINITION
from fountainai.services.scripts.config import ScriptsSettings
from fountainai.services.scripts.models import Base


async def test_migrations_match_the_models(database_url: str) -> None:
    migrations = DEFINITION.migrations
    assert migrations is not None
    engine = create_engine(database_url)
    try:
        await migrations.upgrade(engine)
        await migrations.upgrade(engine)  # idempotent
        assert await migrations.current(engine) == migrations.head() == "0001"

        def own(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
            table = obj if type_ == "table" else getattr(obj, "table", None)
            return table is None or table.name in Base.metadata.tables

        def check(connection: Connection) -> None:
            tables = set(inspect(connection).get_table_names())
            assert "alembic_version_scripts" in tables
            assert (
                {name for name in tables if name.startswith("scripts_")}
                == set(Base.metadata.tables)
                == {"scripts_scripts", "scripts_sections", "scripts_transitions", "scripts_outbox"}
            )
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "version_table": migrations.version_table,
                    "include_object": own,
                },
            )
            assert compare_metadata(context, Base.metadata) == []

        async with engine.connect() as conn:
            await conn.run_sync(check)
    finally:
        await engine.dispose()


def test_every_setting_is_described() -> None:
    own = set(ScriptsSettings.model_fields) - set(ServiceSettings.model_fields)
    assert own == {"max_batch_size", "max_cascade_size"}
    assert [name for name in own if not ScriptsSettings.model_fields[name].description] == []


def test_settings_read_their_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FOUNTAIN_SCRIPTS_MAX_BATCH_SIZE", "10")
    monkeypatch.setenv("FOUNTAIN_SEQUENCE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("FOUNTAIN_DATA_DIR", str(tmp_path))
    settings = ScriptsSettings()
    assert settings.max_batch_size == 10
    assert settings.sequence_url == "http://127.0.0.1:9"
    assert settings.effective_port == 8006
