"""Settings: every one described, read from the service prefix, safe in production."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from fountainai.core import ServiceSettings
from fountainai.services.sessions.config import SessionsSettings


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
