"""``fountain kms create-admin``: the operator's way in, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import select
from typer.testing import CliRunner, Result

from fountainai.cli.main import app
from fountainai.services.kms.app import create_app
from fountainai.services.kms.models import AuditEvent, User
from tests.cli.conftest import Env, settings_of
from tests.cli.conftest import invoke as run_cli
from tests.services.kms.account_factories import fullwidth

PASSWORD = "an operator passphrase"


def create_admin(env: Env, username: str, stdin: str, *flags: str) -> Result:
    args = ["kms", "create-admin", "--username", username, *flags]
    return CliRunner().invoke(app, args, env=env, input=stdin, catch_exceptions=False)


def login_and_read(env: Env, username: str, password: str) -> tuple[int, list[str], list[User]]:
    """Log in through a real KMS app on the same database; its users afterwards."""

    async def main() -> tuple[int, list[str], list[User]]:
        application = create_app(settings_of(env))
        async with LifespanManager(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://kms.test") as c:
                response = await c.post(
                    "/api/v1/login", json={"username": username, "password": password}
                )
            async with application.state.sessionmaker() as session:
                users = list(await session.scalars(select(User).order_by(User.created_at)))
                actors = list(
                    await session.scalars(
                        select(AuditEvent.actor).where(AuditEvent.event == "register")
                    )
                )
        return response.status_code, [a or "" for a in actors], users

    return asyncio.run(main())


def test_create_admin_reads_the_password_from_stdin(kms_env: Env) -> None:
    result = create_admin(kms_env, "Root", PASSWORD + "\n", "--password-stdin")

    assert result.exit_code == 0, result.stderr
    assert "Created administrator 'root'" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
    status, actors, users = login_and_read(kms_env, "root", PASSWORD)
    assert status == 200
    assert [(u.username, u.roles) for u in users] == [("root", ["admin"])]
    assert actors == ["cli"]
    assert PASSWORD not in users[0].password_hash


def test_create_admin_prompts_hidden_with_confirmation(kms_env: Env) -> None:
    typed = f"first try!!\nsecond try!!\n{PASSWORD}\n{PASSWORD}\n"

    result = create_admin(kms_env, "root", typed)

    assert result.exit_code == 0, result.stderr
    assert "do not match" in result.stdout + result.stderr
    assert PASSWORD not in result.stdout
    assert login_and_read(kms_env, "root", PASSWORD)[0] == 200


def test_create_admin_works_when_accounts_already_exist(kms_env: Env) -> None:
    assert create_admin(kms_env, "first", PASSWORD, "--password-stdin").exit_code == 0

    result = create_admin(kms_env, "second", PASSWORD, "--password-stdin")

    assert result.exit_code == 0, result.stderr
    _, _, users = login_and_read(kms_env, "second", PASSWORD)
    assert [u.username for u in users] == ["first", "second"]


@pytest.mark.parametrize("spelling", ["root", "ROOT", fullwidth("root")])
def test_an_existing_username_is_an_error_and_changes_nothing(kms_env: Env, spelling: str) -> None:
    assert create_admin(kms_env, "root", PASSWORD, "--password-stdin").exit_code == 0

    result = create_admin(kms_env, spelling, "other passphrase", "--password-stdin")

    assert result.exit_code == 1
    assert "already exists" in result.stderr
    status, _, users = login_and_read(kms_env, "root", PASSWORD)
    assert status == 200
    assert len(users) == 1


@pytest.mark.parametrize(
    ("username", "stdin", "message"),
    [("a b", PASSWORD, "username must be"), ("root", "short", "at least"), ("root", "", "empty")],
)
def test_bad_input_is_an_error_before_anything_is_written(
    kms_env: Env, username: str, stdin: str, message: str
) -> None:
    result = create_admin(kms_env, username, stdin, "--password-stdin")

    assert result.exit_code == 1
    assert message in result.stderr
    if "FOUNTAIN_KMS_DATABASE_URL" not in kms_env:
        assert not (settings_of(kms_env).data_dir / "kms.db").exists()


def test_there_is_no_password_flag(kms_env: Env) -> None:
    result = run_cli(["kms", "create-admin", "--username", "root", "--password", "x"], kms_env)

    assert result.exit_code == 2
