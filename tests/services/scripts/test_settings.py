"""Settings: every one described, read from the service prefix, safe in production."""

from __future__ import annotations

from pathlib import Path

import pytest

from fountainai.core import ServiceSettings
from fountainai.services.scripts.config import ScriptsSettings


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
