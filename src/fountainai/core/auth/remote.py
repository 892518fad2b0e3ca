"""``remote_authenticator``: the authenticator every service uses, backed by the KMS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

import aiohttp

from fountainai.core.auth.authenticator import Authenticator
from fountainai.core.auth.introspection import INTROSPECT_PATH, RemoteApiKeyIntrospector
from fountainai.core.auth.jwks import JWKS_PATH, JwksKeySource
from fountainai.core.auth.revocation import REVOCATIONS_PATH
from fountainai.core.auth.revocation_remote import RemoteRevocationList
from fountainai.core.auth.verifier import TokenVerifier
from fountainai.core.config import PlatformSettings
from fountainai.core.http.client import RetryPolicy, ServiceClient

# Requests wait on these fetches: keep them short, and retry once.
KMS_TIMEOUT: Final = aiohttp.ClientTimeout(total=2.0, connect=0.5)
KMS_RETRY: Final = RetryPolicy(max_attempts=2, base_delay=0.05, max_delay=0.2)


@asynccontextmanager
async def remote_authenticator(settings: PlatformSettings) -> AsyncIterator[Authenticator]:
    """JWKS, revocation feed and API-key introspection from ``settings.kms_url``.

    Builds no connection: the first request that needs the KMS fetches from it.
    """
    client = ServiceClient(settings.kms_url, timeout=KMS_TIMEOUT, retry=KMS_RETRY, name="kms")
    keys = JwksKeySource(
        JWKS_PATH,
        client=client,
        cache_seconds=settings.auth_jwks_cache_seconds,
        refetch_interval_seconds=settings.auth_jwks_refetch_seconds,
    )
    revocations = RemoteRevocationList(
        REVOCATIONS_PATH,
        client=client,
        refresh_seconds=settings.auth_revocation_refresh_seconds,
        max_stale_seconds=settings.auth_revocation_max_stale_seconds,
    )
    verifier = TokenVerifier(
        keys,
        revocations,
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        leeway_seconds=settings.auth_leeway_seconds,
    )
    api_keys = RemoteApiKeyIntrospector(
        INTROSPECT_PATH, client=client, cache_seconds=settings.auth_api_key_cache_seconds
    )
    try:
        yield Authenticator(verifier, api_keys)
    finally:
        await client.close()
