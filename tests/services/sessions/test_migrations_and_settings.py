"""Migration 0001 builds exactly the models' tables; settings are described, read their prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import ValidationError
from sqlalchemy import Connection, inspect

from fountainai.core import ServiceSettings
from fountainai.core.db import create_engine
from fountainai.services.sessions.app import DEFINITION
from fountainai.services.sessions.config import SessionsSettings
from fountainai.services.sessions.models import Base


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
            assert "alembic_version_sessions" in tables
            assert {name for name in tables if name.startswith("sessions_")} == set(
                Base.metadata.tables
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
    own = set(SessionsSettings.model_fields) - set(ServiceSettings.model_fields)
    assert own == {"max_context_bytes"}
    assert all(SessionsSettings.model_fields[name].description for name in own)


def test_settings_read_their_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FOUNTAIN_SESSIONS_MAX_CONTEXT_BYTES", "4096")
    monkeypatch.setenv("FOUNTAIN_DATA_DIR", str(tmp_path))
    settings = SessionsSettings()
    assert settings.max_context_bytes == 4096
    assert settings.effective_port == 8007
    with pytest.raises(ValidationError):
        SessionsSettings(max_context_bytes=10)
