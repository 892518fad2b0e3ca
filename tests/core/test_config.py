"""Shared settings: FOUNTAIN_ENV and FOUNTAIN_DATA_DIR, per-service prefixes, production guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError
from pydantic_settings import SettingsConfigDict

from fountainai.core import Environment, ServiceSettings
from fountainai.services.sequence.config import SequenceSettings


class SecretSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FOUNTAIN_PROBE_")

    master_key: SecretStr = SecretStr("change-me")


def test_defaults_are_development_and_sqlite_under_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FOUNTAIN_ENV", raising=False)
    monkeypatch.setenv("FOUNTAIN_DATA_DIR", str(tmp_path))
    settings = SequenceSettings()
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.effective_port == 8000
    assert settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path / 'sequence.db'}"


def test_service_prefix_and_shared_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOUNTAIN_ENV", "production")
    monkeypatch.setenv("FOUNTAIN_SEQUENCE_PORT", "9100")
    monkeypatch.setenv("FOUNTAIN_SEQUENCE_DATABASE_URL", "postgresql+asyncpg://db/seq")
    settings = SequenceSettings()
    assert settings.environment is Environment.PRODUCTION
    assert settings.effective_port == 9100
    assert settings.effective_database_url == "postgresql+asyncpg://db/seq"


def test_production_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOUNTAIN_ENV", "production")
    with pytest.raises(ValidationError, match="placeholder secrets: master_key"):
        SecretSettings()
    monkeypatch.setenv("FOUNTAIN_PROBE_MASTER_KEY", "  CHANGE-ME ")
    with pytest.raises(ValidationError, match="placeholder"):
        SecretSettings()
    monkeypatch.setenv("FOUNTAIN_PROBE_MASTER_KEY", "k3y-from-a-real-secret-store-9f8e7d")
    assert SecretSettings().master_key.get_secret_value().startswith("k3y")


def test_development_tolerates_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOUNTAIN_ENV", "development")
    assert SecretSettings().master_key.get_secret_value() == "change-me"


def test_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOUNTAIN_ENV", "staging-ish")
    with pytest.raises(ValidationError):
        SequenceSettings()


def test_unprefixed_generic_names_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOUNTAIN_ENV", raising=False)
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("DATA_DIR", "/somewhere/else")
    settings = SequenceSettings()
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.data_dir != Path("/somewhere/else")


def test_log_level_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOUNTAIN_SEQUENCE_LOG_LEVEL", "warning")
    assert SequenceSettings().log_level == "WARNING"
    monkeypatch.setenv("FOUNTAIN_SEQUENCE_LOG_LEVEL", "verbose")
    with pytest.raises(ValidationError):
        SequenceSettings()
