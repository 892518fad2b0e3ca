"""What the two-factor part of the KMS builds at start-up: its client of the 2FA service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from fountainai.core import ServiceSettings
from fountainai.services.kms.mfa.client import TwoFactorClient
from fountainai.services.kms.mfa.service_tokens import ServiceTokens


@asynccontextmanager
async def twofa_client(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    """``app.state.twofa``, calling ``FOUNTAIN_TWOFA_URL`` (a test may put its own there first).

    Connects to nothing yet: the first login that needs a second factor does.
    """
    if getattr(app.state, "twofa", None) is not None:
        yield
        return
    tokens = ServiceTokens(app.state.token_issuer, app.state.sessionmaker)
    client = TwoFactorClient.create(settings.twofa_url, tokens)
    app.state.twofa = client
    try:
        yield
    finally:
        app.state.twofa = None
        await client.close()
