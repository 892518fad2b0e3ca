"""``fountain kms``: Key Management operator commands, run against the KMS database directly."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from fountainai.cli import output
from fountainai.cli.common import get_service, load_settings
from fountainai.cli.kms_database import CLI_ACTOR, kms_session
from fountainai.cli.kms_service_keys import create_service_key
from fountainai.cli.kms_signing import list_signing_keys, revoke_signing_key, rotate_signing_key
from fountainai.core import AppError
from fountainai.core.auth import Role
from fountainai.core.logging import configure_logging
from fountainai.services.kms.accounts.passwords import Passwords, checked_password
from fountainai.services.kms.accounts.registration import Registrar, UsernameTaken
from fountainai.services.kms.accounts.usernames import canonical_username
from fountainai.services.kms.config import KmsSettings

app = typer.Typer(help="Key Management: operator commands.", no_args_is_help=True)
app.command("signing-keys")(list_signing_keys)
app.command("rotate-signing-key")(rotate_signing_key)
app.command("revoke-signing-key")(revoke_signing_key)
app.command("create-service-key")(create_service_key)


@app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option("--username", "-u", help="The new admin's username.")],
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from standard input (one line) instead of prompting.",
        ),
    ] = False,
) -> None:
    """Create an administrator account, even when accounts exist (the operator's way in).

    The password is never a command-line argument (others could read it in the process list).
    """
    entry = get_service("kms")
    settings = load_settings(entry)
    assert isinstance(settings, KmsSettings)
    try:
        name = canonical_username(username)
    except ValueError as exc:
        output.error(str(exc))
        raise typer.Exit(1) from None
    try:
        password = checked_password(
            _read_password(from_stdin=password_stdin), min_length=settings.password_min_length
        )
    except AppError as exc:
        output.error(str(exc.detail))
        raise typer.Exit(1) from None
    configure_logging(service="kms", level=settings.log_level, json=settings.log_json)
    url = settings.effective_database_url
    output.labelled("Database", make_url(url).render_as_string(hide_password=True))
    try:
        user_id = asyncio.run(_create_admin(settings, name, password))
    except UsernameTaken:
        output.error(f"an account named {name!r} already exists; nothing was changed.")
        raise typer.Exit(1) from None
    except DBAPIError as exc:
        output.error(f"the KMS database is not usable ({type(exc).__name__}): {exc.orig}")
        raise typer.Exit(1) from None
    output.success(f"Created administrator {name!r} (id {user_id}).")


def _read_password(*, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        output.error("the password is empty.")
        raise typer.Exit(1)
    return password


async def _create_admin(settings: KmsSettings, username: str, password: str) -> str:
    passwords = await Passwords.create(settings)
    async with kms_session(settings) as session:
        user = await Registrar(session, settings, passwords).create(
            username, password, [Role.ADMIN], actor=CLI_ACTOR, via=CLI_ACTOR, ip=None
        )
        return user.id
