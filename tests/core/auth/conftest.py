from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from fountainai.core.auth import (
    Authenticator,
    RevocationSnapshot,
    StaticKeySource,
    StaticRevocations,
    TokenVerifier,
)
from fountainai.core.http import RetryPolicy, ServiceClient
from tests.core.auth.helpers import AUDIENCE, ISSUER, LEEWAY, FakeKms, SigningKey, jwks
from tests.core.auth.probe_app import served
from tests.core.auth.redis_support import connected_redis, delete_keys

REVOKED_JTI = "revoked-jti"
RETIRED_KID = "retired"
RESET_SUBJECT = "user-who-logged-out-everywhere"


@pytest.fixture
def key() -> SigningKey:
    return SigningKey("k1")


@pytest.fixture
def retired_key() -> SigningKey:
    return SigningKey(RETIRED_KID)


@pytest.fixture
def revocations() -> StaticRevocations:
    return StaticRevocations(
        RevocationSnapshot(
            token_ids=frozenset({REVOKED_JTI}),
            key_ids=frozenset({RETIRED_KID}),
            subjects_not_before={RESET_SUBJECT: int(time.time())},
        )
    )


@pytest.fixture
def verifier(
    key: SigningKey, retired_key: SigningKey, revocations: StaticRevocations
) -> TokenVerifier:
    return TokenVerifier(
        StaticKeySource(jwks(key, retired_key)),
        revocations,
        issuer=ISSUER,
        audience=AUDIENCE,
        leeway_seconds=LEEWAY,
    )


@pytest.fixture
async def client(verifier: TokenVerifier, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with served(tmp_path, Authenticator(verifier, None)) as http:
        yield http


@pytest.fixture
async def fake_kms() -> AsyncIterator[FakeKms]:
    async with FakeKms() as server:
        yield server


@pytest.fixture
async def kms_client(fake_kms: FakeKms) -> AsyncIterator[ServiceClient]:
    async with ServiceClient(fake_kms.url, retry=RetryPolicy(max_attempts=1)) as http:
        yield http


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    """The real Redis; see ``redis_support``."""
    async with connected_redis() as client:
        yield client


@pytest.fixture
async def redis_prefix(redis: Redis) -> AsyncIterator[str]:
    """A fresh key prefix; its keys are deleted after the test."""
    prefix = f"test:revoked:{uuid.uuid4().hex}"
    yield prefix
    await delete_keys(redis, pattern=f"{prefix}:*")
