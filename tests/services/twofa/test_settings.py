"""Settings: every one described, read from the service prefix, safe in production."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from fountainai.core import Environment, ServiceSettings
from fountainai.services.twofa.config import TwofaSettings


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
