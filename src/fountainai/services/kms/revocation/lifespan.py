"""With ``revocation_redis_url`` set, the KMS publishes every revocation to Redis as it commits,
and at start-up rewrites the ones still in force (Redis may have been flushed or restarted)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fountainai.core import ServiceSettings
from fountainai.core.auth.revocation_redis import RedisRevocationWriter
from fountainai.core.logging import get_logger
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.revocation.after_commit import attach, detach
from fountainai.services.kms.revocation.publisher import (
    PublishMetrics,
    Revocation,
    RevocationPublisher,
    SubjectNotBefore,
    TokenRevoked,
)
from fountainai.services.kms.revocation.repository import RevokedTokenRepository

log = get_logger(__name__)

REDIS_TIMEOUT_SECONDS = 1.0  # a publish runs after the answer is decided; it must not pile up


async def revocations_in_force(
    sessionmaker: async_sessionmaker[AsyncSession], *, token_lifetime: int
) -> list[Revocation]:
    """Unexpired revoked tokens, and the not-befores a still-acceptable token could be under
    (set within ``token_lifetime``): bounded by how much can happen in one token lifetime."""
    now = int(time.time())
    async with sessionmaker() as session:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        repo = RevokedTokenRepository(session)
        tokens = await repo.unexpired(now)
        subjects = await repo.subjects_not_before(after=now - token_lifetime)
    return [
        *(TokenRevoked(jti, expires_at) for jti, expires_at in sorted(tokens.items())),
        *(SubjectNotBefore(subject, at) for subject, at in sorted(subjects.items())),
    ]


@asynccontextmanager
async def revocation_publishing(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    assert isinstance(settings, KmsSettings)
    app.state.revocation_publisher = None
    if not settings.revocation_redis_url:
        yield
        return
    # Imported here: redis takes about half a second to import, and most KMSes run without it.
    from redis.asyncio import ConnectionPool, Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    pool = ConnectionPool.from_url(
        settings.revocation_redis_url,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    redis = Redis(connection_pool=pool, retry=Retry(NoBackoff(), retries=1))
    token_lifetime = settings.access_token_seconds + settings.auth_leeway_seconds
    metrics = getattr(app.state, "revocation_publish_metrics", None)
    if metrics is None:  # once per app: a registry refuses the same metric twice
        metrics = app.state.revocation_publish_metrics = PublishMetrics(app.state.metrics_registry)
    publisher = RevocationPublisher(
        RedisRevocationWriter(redis, leeway_seconds=settings.auth_leeway_seconds),
        token_lifetime=token_lifetime,
        metrics=metrics,
    )
    app.state.revocation_publisher = publisher
    attach(app.state.sessionmaker, publisher)
    try:
        in_force = await revocations_in_force(app.state.sessionmaker, token_lifetime=token_lifetime)
        publisher.start_resync(in_force)
        log.info("revocation_publishing", revocations_in_force=len(in_force))
        yield
    finally:
        detach(app.state.sessionmaker)
        await publisher.drain()
        await redis.aclose(close_connection_pool=True)
        app.state.revocation_publisher = None
