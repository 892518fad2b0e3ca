"""What the KMS builds at start-up: master key, keystore, token issuer, its own authenticator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from datetime import timedelta

from fastapi import FastAPI

from fountainai.core import ServiceSettings
from fountainai.core.auth import Authenticator, TokenVerifier
from fountainai.services.kms.apikeys.introspection import LocalApiKeyIntrospector
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.revocation.service import LocalRevocations
from fountainai.services.kms.signing.keystore import Keystore
from fountainai.services.kms.signing.local import DatabaseKeySource
from fountainai.services.kms.signing.master_key import load_master_key
from fountainai.services.kms.signing.tokens import AccessTokenIssuer


@asynccontextmanager
async def signing_resources(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    assert isinstance(settings, KmsSettings)
    # A key stays published until the last token it signed (plus clock leeway) has expired.
    token_lifetime = timedelta(seconds=settings.access_token_seconds + settings.auth_leeway_seconds)
    keystore = Keystore(load_master_key(settings), token_lifetime=token_lifetime)
    async with app.state.database_lock or nullcontext(), app.state.sessionmaker() as session:
        await keystore.signing_key(session)  # the first start creates the first key
        await session.commit()
    app.state.keystore = keystore
    app.state.token_issuer = AccessTokenIssuer(keystore, settings)
    yield


@asynccontextmanager
async def local_authenticator(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    if getattr(app.state, "authenticator", None) is None:
        sessionmaker = app.state.sessionmaker
        verifier = TokenVerifier(
            DatabaseKeySource(sessionmaker, app.state.keystore),
            LocalRevocations(sessionmaker, app.state.keystore),
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
            leeway_seconds=settings.auth_leeway_seconds,
        )
        app.state.authenticator = Authenticator(verifier, LocalApiKeyIntrospector(sessionmaker))
    yield
