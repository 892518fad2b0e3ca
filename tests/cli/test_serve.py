from __future__ import annotations

import os
from typing import Any

import pytest
import uvicorn

from fountainai.cli.registry import SERVICES
from tests.cli.conftest import Env, invoke

UNKNOWN_SERVICE_COMMANDS = [
    ["serve", "nope"],
    ["openapi", "nope"],
    ["db", "upgrade", "nope"],
    ["db", "current", "nope"],
    ["db", "revision", "nope", "-m", "x"],
    ["up", "--only", "sequence,nope"],
]


@pytest.mark.parametrize("args", UNKNOWN_SERVICE_COMMANDS, ids=" ".join)
def test_an_unknown_service_is_a_usage_error_naming_the_known_ones(
    args: list[str], cli_env: Env
) -> None:
    result = invoke(args, cli_env)

    assert result.exit_code == 2
    assert "unknown service 'nope'" in result.stderr
    assert f"Known services: {', '.join(sorted(SERVICES))}" in result.stderr
    assert "kms" in SERVICES
    assert "sequence" in SERVICES


class UvicornRun:
    """Stands in for uvicorn's server loop only: what `serve` asks of it is under test."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.environ: dict[str, str] = {}

    def __call__(self, app: str, **options: Any) -> None:
        self.calls.append((app, options))
        self.environ = dict(os.environ)


@pytest.fixture
def uvicorn_run(monkeypatch: pytest.MonkeyPatch) -> UvicornRun:
    run = UvicornRun()
    monkeypatch.setattr(uvicorn, "run", run)
    return run


def test_serve_runs_the_service_factory_on_its_default_port(
    cli_env: Env, uvicorn_run: UvicornRun
) -> None:
    result = invoke(["serve", "sequence"], cli_env)

    assert result.exit_code == 0, result.stderr
    [(app, options)] = uvicorn_run.calls
    assert app == "fountainai.services.sequence.app:create_app"
    assert options["factory"] is True
    assert (options["host"], options["port"]) == ("127.0.0.1", 8000)
    assert options["workers"] == 1
    assert options["reload"] is False


def test_serve_options_override_settings_and_reach_the_app(
    cli_env: Env, uvicorn_run: UvicornRun
) -> None:
    env = {**cli_env, "FOUNTAIN_SEQUENCE_PORT": "8123"}
    args = ["serve", "sequence", "--port", "9001", "--host", "0.0.0.0", "--workers", "3"]

    result = invoke(args, env)

    assert result.exit_code == 0, result.stderr
    [(_, options)] = uvicorn_run.calls
    assert (options["host"], options["port"], options["workers"]) == ("0.0.0.0", 9001, 3)
    # Workers build their own settings from the environment: it must say the same.
    assert uvicorn_run.environ["FOUNTAIN_SEQUENCE_PORT"] == "9001"
    assert uvicorn_run.environ["FOUNTAIN_SEQUENCE_HOST"] == "0.0.0.0"


def test_serve_port_setting_is_the_default(cli_env: Env, uvicorn_run: UvicornRun) -> None:
    result = invoke(["serve", "sequence"], {**cli_env, "FOUNTAIN_SEQUENCE_PORT": "8123"})

    assert result.exit_code == 0, result.stderr
    assert uvicorn_run.calls[0][1]["port"] == 8123


def test_reload_and_workers_do_not_mix(cli_env: Env, uvicorn_run: UvicornRun) -> None:
    result = invoke(["serve", "sequence", "--reload", "--workers", "2"], cli_env)

    assert result.exit_code == 2
    assert "mutually exclusive" in result.stderr
    assert uvicorn_run.calls == []
