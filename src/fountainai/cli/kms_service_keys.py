"""``fountain kms create-service-key``: a service's API key, with scopes POST /keys never grants."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from sqlalchemy.exc import DBAPIError

from fountainai.cli import output
from fountainai.cli.common import get_service, load_settings
from fountainai.cli.kms_database import issue_service_key
from fountainai.core.auth import KNOWN_KEY_SCOPES
from fountainai.core.logging import configure_logging
from fountainai.services.kms.apikeys.service import checked_service_key
from fountainai.services.kms.config import KmsSettings


def create_service_key(
    service: Annotated[str, typer.Argument(help="The service's name, e.g. twofa.")],
    scope: Annotated[
        list[str],
        typer.Option(
            "--scope",
            "-s",
            help=f"A scope to grant (repeat for more): {', '.join(KNOWN_KEY_SCOPES)}.",
        ),
    ],
    expires_in_days: Annotated[
        int | None,
        typer.Option(
            min=1, max=3650, help="Lifetime in days (default FOUNTAIN_KMS_API_KEY_DEFAULT_DAYS)."
        ),
    ] = None,
) -> None:
    """Issue SERVICE a new API key and print it once; its previous keys are revoked at once.

    The only way to grant mfa:assert (the 2FA service's key): an admin's HTTP request never can.
    Rotating the key later (POST /keys/SERVICE/rotate) keeps its scopes.
    """
    try:
        checked_service_key(service, scope)
    except ValueError as exc:
        output.error(str(exc))
        raise typer.Exit(1) from None
    settings = load_settings(get_service("kms"))
    assert isinstance(settings, KmsSettings)
    configure_logging(service="kms", level=settings.log_level, json=settings.log_json)
    try:
        created = asyncio.run(
            issue_service_key(settings, service, scope, expires_in_days=expires_in_days)
        )
    except DBAPIError as exc:
        output.error(f"the KMS database is not usable ({type(exc).__name__}): {exc.orig}")
        raise typer.Exit(1) from None
    output.labelled("Service", created.service_name)
    output.labelled("Scopes", " ".join(created.scopes))
    output.labelled("Expires", created.expires_at.isoformat(timespec="seconds"))
    output.note("The key is shown this once; only its hash is kept:")
    output.raw(created.api_key + "\n")
