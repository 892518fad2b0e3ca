"""Migration 0001 builds exactly the models' tables; settings are documented and safe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import SecretStr, ValidationError
from sqlalchemy import Connection, inspect

from fountainai.core import Environment, ServiceSettings
from fountainai.core.db import create_engine
from fountainai.services.twofa.app import DEFINITION
from fountainai.services.twofa.config import TwofaSettings
from fountainai.services.twofa.models import Base


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
            assert "alembic_version_twofa" in tables
            assert {name for name in tables if name.startswith("twofa_")} == set(
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
    own = set(TwofaSettings.model_fields) - set(ServiceSettings.model_fields)
    assert own, "no 2FA settings found"
    undocumented = [name for name in own if not TwofaSettings.model_fields[name].description]
    assert undocumented == []


def test_settings_read_their_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FOUNTAIN_TWOFA_DELIVERY", "smtp")
    monkeypatch.setenv("FOUNTAIN_TWOFA_SMTP_RECIPIENT_TEMPLATE", "{username}@studio.example")
    monkeypatch.setenv("FOUNTAIN_DATA_DIR", str(tmp_path))
    settings = TwofaSettings()
    assert settings.delivery == "smtp"
    assert settings.effective_port == 8004
    assert settings.effective_outbox_path == tmp_path / "twofa-outbox.jsonl"


def test_the_recipient_template_must_name_the_user() -> None:
    with pytest.raises(ValidationError, match="username"):
        TwofaSettings(smtp_recipient_template="ops@studio.example")


def test_production_refuses_an_empty_master_key_or_kms_key() -> None:
    with pytest.raises(ValidationError, match="master_key"):
        TwofaSettings(environment=Environment.PRODUCTION, kms_api_key=SecretStr("fai_x" * 8))
    with pytest.raises(ValidationError, match="kms_api_key"):
        TwofaSettings(environment=Environment.PRODUCTION, master_key=SecretStr("k" * 43))
