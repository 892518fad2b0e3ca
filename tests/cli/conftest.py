"""CLI tests run in a scratch directory, with a scratch database and no stray FOUNTAIN_* env."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from fountainai.cli.common import env_prefix
from fountainai.cli.main import app
from fountainai.cli.registry import SERVICES
from fountainai.services.kms.config import KmsSettings

Env = dict[str, str | None]


@pytest.fixture(autouse=True)
def _restore_logging(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Building an app points the root logger at the runner's stderr, closed after each run."""
    monkeypatch.chdir(tmp_path)  # no .env from the repository, nothing written into it
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "cli-sequence.db"


@pytest.fixture
def cli_env(tmp_path: Path, database_path: Path) -> Env:
    """FOUNTAIN_* as the tests want it; ``None`` unsets (and CliRunner restores afterwards)."""
    env: Env = {name: None for name in os.environ if name.startswith("FOUNTAIN_")}
    for entry in SERVICES.values():
        prefix = env_prefix(entry)
        env.update({f"{prefix}HOST": None, f"{prefix}PORT": None, f"{prefix}DATABASE_URL": None})
    env["FOUNTAIN_DATA_DIR"] = str(tmp_path / "data")
    env["FOUNTAIN_SEQUENCE_DATABASE_URL"] = f"sqlite+aiosqlite:///{database_path}"
    return env


def invoke(args: Sequence[str], env: Env) -> Result:
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def kms_env(cli_env: Env, database_url: str) -> Env:
    env = {**cli_env, "FOUNTAIN_KMS_ARGON2_TIME_COST": "1", "FOUNTAIN_KMS_ARGON2_MEMORY_KIB": "64"}
    env["FOUNTAIN_KMS_ARGON2_PARALLELISM"] = "1"
    if not database_url.startswith("sqlite"):  # SQLite: the default file in the data dir
        env["FOUNTAIN_KMS_DATABASE_URL"] = database_url
    return env


def settings_of(env: Env) -> KmsSettings:
    return KmsSettings(
        data_dir=Path(str(env["FOUNTAIN_DATA_DIR"])),
        database_url=env.get("FOUNTAIN_KMS_DATABASE_URL") or "",
    )
