""".env.example names every setting with its real default, and nothing that is not a setting."""

from __future__ import annotations

import importlib
import pkgutil
import re
from enum import Enum
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import AliasChoices
from pydantic.fields import FieldInfo

import fountainai.gateway.config
import fountainai.services
from fountainai.core import PlatformSettings, ServiceSettings
from fountainai.gateway.config import GatewaySettings
from fountainai.services.sequence.config import SequenceSettings

ENV_EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"
TEST_ONLY = {"FOUNTAIN_TEST_POSTGRES_URL", "FOUNTAIN_TEST_REDIS_URL"}
# "# NAME=value" (commented out, as every entry must be) or "NAME=value".
_ENTRY = re.compile(r"^#?\s*(FOUNTAIN_[A-Z0-9_]+)=(.*)$")


def service_settings_classes() -> list[type[PlatformSettings]]:
    """Each service's settings class, found in ``fountainai.services.<name>.config``."""
    found: list[type[PlatformSettings]] = []
    for module_info in pkgutil.iter_modules(fountainai.services.__path__):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"fountainai.services.{module_info.name}.config")
        except ModuleNotFoundError:
            continue
        found += _settings_in(module)
    return [*found, *_settings_in(fountainai.gateway.config)]


def _settings_in(module: ModuleType) -> list[type[PlatformSettings]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, PlatformSettings)
        and value not in {PlatformSettings, ServiceSettings}
        and value.__module__ == module.__name__
    ]


def env_name(settings_class: type[PlatformSettings], name: str, field: FieldInfo) -> str:
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        first = alias.choices[0]
        assert isinstance(first, str)
        return first
    if isinstance(alias, str):
        return alias
    prefix = settings_class.model_config.get("env_prefix") or ""
    return f"{prefix}{name}".upper()


def rendered_default(field: FieldInfo) -> str:
    default = field.get_default(call_default_factory=True)
    if default is None:  # unset: documented as an empty value
        return ""
    if isinstance(default, bool):
        return str(default).lower()
    if isinstance(default, Enum):
        return str(default.value)
    return str(default)


def expected_entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    for settings_class in service_settings_classes():
        for name, field in settings_class.model_fields.items():
            entries[env_name(settings_class, name, field)] = rendered_default(field)
    return entries


def documented_entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = _ENTRY.match(line.strip())
        if match:
            entries[match.group(1)] = match.group(2).strip()
    return entries


def test_settings_classes_are_found() -> None:
    assert SequenceSettings in service_settings_classes()
    assert GatewaySettings in service_settings_classes()


def test_shared_settings_use_their_unprefixed_names() -> None:
    expected = expected_entries()
    assert expected["FOUNTAIN_ENV"] == "development"
    assert expected["FOUNTAIN_DATA_DIR"] == ".fountain"
    assert "FOUNTAIN_SEQUENCE_MAX_BATCH_SIZE" in expected


@pytest.mark.parametrize("name", sorted(expected_entries()))
def test_every_setting_is_in_env_example_with_its_default(name: str) -> None:
    documented = documented_entries()
    assert name in documented, f"{name} is a setting but .env.example does not mention it"
    assert documented[name] == expected_entries()[name], (
        f"{name}: .env.example says {documented[name]!r}, the code's default is "
        f"{expected_entries()[name]!r}"
    )


def test_env_example_names_only_real_settings() -> None:
    stale = set(documented_entries()) - set(expected_entries()) - TEST_ONLY
    assert not stale, f".env.example names settings that no longer exist: {sorted(stale)}"


def test_every_entry_is_commented_out() -> None:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    active = [line for line in lines if line.startswith("FOUNTAIN_")]
    assert not active, f"entries must stay commented out (copying must change nothing): {active}"
    assert set(documented_entries()) >= TEST_ONLY
