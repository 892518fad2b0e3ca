"""``fountain kms signing-keys | rotate-signing-key | revoke-signing-key``: the JWT signing keys."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, TypeVar

import typer
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.cli import output
from fountainai.cli.common import get_service, load_settings
from fountainai.cli.kms_database import kms_session
from fountainai.core.db import utcnow
from fountainai.core.logging import configure_logging
from fountainai.services.kms.audit.events import SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.signing.keystore import KeyState, Keystore
from fountainai.services.kms.signing.master_key import MasterKeyError, load_master_key

CLI_ACTOR = "cli"
T = TypeVar("T")


def list_signing_keys() -> None:
    """Every unrevoked signing key: next (published, not yet signing), signing, previous (still
    published: verifies what it signed), or retired."""
    states = _run(lambda session, keystore: keystore.states(session))
    output.signing_keys_table(
        (
            state.key.kid,
            _describe(state),
            state.key.activates_at.isoformat(timespec="seconds"),
            state.key.created_at.isoformat(timespec="seconds"),
        )
        for state in states
    )


def rotate_signing_key(
    lead: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Seconds the new key is published before it signs "
            "(default FOUNTAIN_KMS_SIGNING_KEY_PUBLISH_LEAD_SECONDS).",
        ),
    ] = None,
) -> None:
    """Publish a new signing key now; it starts signing after the lead time."""
    settings = _settings()
    seconds = settings.signing_key_publish_lead_seconds if lead is None else lead

    async def rotate(session: AsyncSession, keystore: Keystore) -> str:
        key = await keystore.rotate(session, lead=timedelta(seconds=seconds))
        await AuditRepository(session).record(
            SecurityEvent.SIGNING_KEY_CREATE,
            actor=CLI_ACTOR,
            target=key.kid,
            details={"activatesAt": key.activates_at.isoformat()},
        )
        return key.kid

    kid = _run(rotate)
    output.success(f"Published signing key {kid}; it signs from {seconds} s from now.")


def revoke_signing_key(
    kid: Annotated[str, typer.Argument(help="The key id (see `fountain kms signing-keys`).")],
) -> None:
    """Withdraw a key at once: its tokens fail everywhere (services within one revocation refresh);
    if it was signing, a new key signs from now."""

    async def revoke(session: AsyncSession, keystore: Keystore) -> bool:
        revoked = await keystore.revoke(session, kid)
        if revoked:
            await AuditRepository(session).record(
                SecurityEvent.SIGNING_KEY_REVOKE, actor=CLI_ACTOR, target=kid
            )
        return revoked

    if not _run(revoke):
        output.error(f"no live signing key has the id {kid!r}; nothing was changed.")
        raise typer.Exit(1)
    output.success(f"Revoked signing key {kid}.")


def _describe(state: KeyState) -> str:
    if state.signs:
        return "signing"
    if state.published:
        return "next" if state.key.activates_at > utcnow() else "previous (verifies only)"
    return "retired"


def _settings() -> KmsSettings:
    settings = load_settings(get_service("kms"))
    assert isinstance(settings, KmsSettings)
    configure_logging(service="kms", level=settings.log_level, json=settings.log_json)
    return settings


def _run(action: Callable[[AsyncSession, Keystore], Awaitable[T]]) -> T:
    settings = _settings()

    async def main() -> T:
        lifetime = timedelta(seconds=settings.access_token_seconds + settings.auth_leeway_seconds)
        keystore = Keystore(load_master_key(settings), token_lifetime=lifetime)
        async with kms_session(settings) as session:
            return await action(session, keystore)

    try:
        return asyncio.run(main())
    except MasterKeyError as exc:
        output.error(str(exc))
        raise typer.Exit(1) from None
    except DBAPIError as exc:
        output.error(f"the KMS database is not usable ({type(exc).__name__}): {exc.orig}")
        raise typer.Exit(1) from None
