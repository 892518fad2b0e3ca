"""``fountain import`` (and its siblings) logging in at a real KMS with ``--username`` and
``--password`` (or a prompt), against a Story Factory that trusts only that KMS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from fountainai.cli.main import app as cli_app
from fountainai.services.kms.app import create_app as create_kms_app
from fountainai.services.kms.config import KmsSettings
from fountainai.services.story.app import create_app
from fountainai.services.story.config import StorySettings
from tests.cli.conftest import Env, free_port
from tests.support.platform import ServedApp, own_database

PASSWORD = "a writer's passphrase"


async def run_cli(env: Env, *args: str, stdin: str | None = None) -> Result:
    """The CLI in a worker thread: it runs its own event loop, this one keeps serving."""
    return await asyncio.to_thread(
        CliRunner().invoke, cli_app, list(args), input=stdin, env=env, catch_exceptions=False
    )


@pytest.fixture
async def kms_and_factory(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[str, str]]:
    """A real KMS with one writer account (``ada``), and a Story Factory that trusts only it:
    ``(kms_url, story_url)``."""
    port = free_port()
    kms_url = f"http://127.0.0.1:{port}"
    trusting: dict[str, Any] = {
        "data_dir": tmp_path,
        "kms_url": kms_url,
        "auth_issuer": kms_url,
        "log_level": "WARNING",
    }
    kms_settings = KmsSettings(
        database_url=own_database(database_url, tmp_path, "kms"),
        argon2_time_cost=1,
        argon2_memory_kib=64,
        argon2_parallelism=1,
        **trusting,
    )
    kms = ServedApp(create_kms_app(kms_settings))
    kms.port = port
    await kms.start()
    async with httpx.AsyncClient(base_url=kms_url) as client:
        account = {"username": "ada", "password": PASSWORD, "roles": ["writer"]}
        registered = await client.post("/register", json=account)
        assert registered.status_code == 201, registered.text
    story_settings = StorySettings(
        database_url=own_database(database_url, tmp_path, "story"), **trusting
    )
    story = ServedApp(create_app(story_settings))
    await story.start()
    yield kms_url, story.url
    await story.stop()
    await kms.stop()


async def test_username_and_password_log_in_at_the_kms(
    kms_and_factory: tuple[str, str], cli_env: Env, tmp_path: Path
) -> None:
    kms_url, story_url = kms_and_factory
    env = {**cli_env, "FOUNTAIN_KMS_URL": kms_url, "FOUNTAIN_USERNAME": "ada"}
    empty = tmp_path / "empty.fountain"
    empty.write_text("\n")

    # The factory refuses the empty file only after it accepted the KMS's token as a writer's.
    prompted = await run_cli(env, "import", str(empty), "--url", story_url, stdin=PASSWORD + "\n")
    given = await run_cli(
        {**env, "FOUNTAIN_PASSWORD": PASSWORD}, "import", str(empty), "--url", story_url
    )
    wrong = await run_cli(
        env, "import", str(empty), "--url", story_url, "--password", "not the password"
    )

    assert prompted.exit_code == 1
    assert "Password for ada" in prompted.stderr
    assert PASSWORD not in prompted.stdout + prompted.stderr
    assert "Error: the body is empty" in prompted.stderr
    assert given.exit_code == 1
    assert "Error: the body is empty" in given.stderr
    assert wrong.exit_code == 1
    assert "Error: logging in as ada failed:" in wrong.stderr
