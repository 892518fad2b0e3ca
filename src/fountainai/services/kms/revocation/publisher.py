"""``RevocationPublisher``: copies the KMS's committed revocations to Redis, where every gateway
replica checks them per request.

Best effort by design: the database, and the feed built from it, stays the truth that every
verifier polls. A write Redis refuses is logged and counted, never raised into the request.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from prometheus_client import CollectorRegistry, Counter

from fountainai.core.auth.revocation_redis import RedisRevocationWriter
from fountainai.core.logging import get_logger

log = get_logger(__name__)

RESYNC: Final = "resync"


@dataclass(frozen=True, slots=True)
class TokenRevoked:
    """One access token logged out: dead until it would have expired."""

    jti: str
    expires_at: int

    kind: ClassVar[str] = "token"


@dataclass(frozen=True, slots=True)
class SubjectNotBefore:
    """Every token of ``subject`` issued before ``not_before`` (epoch seconds) is dead."""

    subject: str
    not_before: int

    kind: ClassVar[str] = "subject"


Revocation = TokenRevoked | SubjectNotBefore


class PublishMetrics:
    """On the KMS's own registry (``/metrics``)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.published = Counter(
            "fountain_kms_revocations_published",
            "Revocations written to Redis for the gateways.",
            ["kind"],
            registry=registry,
        )
        self.failures = Counter(
            "fountain_kms_revocation_publish_failures",
            "Revocation writes Redis did not take (the revocation feed still carries them).",
            ["kind"],
            registry=registry,
        )


class RevocationPublisher:
    """Writes revocations through ``writer``; ``token_lifetime`` is how long after it was issued
    a token may still be accepted (lifetime plus leeway), so how long a not-before matters."""

    def __init__(
        self,
        writer: RedisRevocationWriter,
        *,
        token_lifetime: int,
        metrics: PublishMetrics,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._writer = writer
        self._token_lifetime = token_lifetime
        self._metrics = metrics
        self._clock = clock
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, revocations: Iterable[Revocation]) -> None:
        """Publish in the background (called at commit, which must not wait on Redis)."""
        self._spawn(self.publish(list(revocations)))

    def start_resync(self, revocations: Iterable[Revocation]) -> None:
        """Resync in the background (at start-up, which must not wait on Redis either)."""
        self._spawn(self.resync(list(revocations)))

    async def publish(self, revocations: Iterable[Revocation]) -> None:
        """Write each revocation; a failure is logged and counted, and the next one is tried."""
        for revocation in revocations:
            try:
                await self._write(revocation)
            except Exception as exc:  # any failure: the feed carries it anyway
                log.warning(
                    "revocation_publish_failed", kind=revocation.kind, error=type(exc).__name__
                )
                self._metrics.failures.labels(revocation.kind).inc()
            else:
                self._metrics.published.labels(revocation.kind).inc()

    async def resync(self, revocations: Iterable[Revocation]) -> None:
        """Rewrite what Redis should hold (after a flush or a restart it holds nothing). Stops
        at the first failure: Redis is down, and the next start-up will try again."""
        written = 0
        try:
            for revocation in revocations:
                await self._write(revocation)
                written += 1
        except Exception as exc:  # any failure: the feed carries them anyway
            log.warning("revocation_resync_failed", written=written, error=type(exc).__name__)
            self._metrics.failures.labels(RESYNC).inc()
        else:
            log.info("revocations_resynced", written=written)
            self._metrics.published.labels(RESYNC).inc(written)

    def not_before_ttl(self, not_before: int) -> int:
        """Seconds a not-before still matters: until the last token it kills has expired."""
        return not_before + self._token_lifetime - int(self._clock())

    async def drain(self) -> None:
        """Wait for every background write started so far (shutdown; tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks)

    async def _write(self, revocation: Revocation) -> None:
        if isinstance(revocation, TokenRevoked):
            await self._writer.revoke_token(revocation.jti, expires_at=revocation.expires_at)
            return
        ttl = self.not_before_ttl(revocation.not_before)
        if ttl > 0:
            await self._writer.revoke_subject(
                revocation.subject, not_before=revocation.not_before, ttl_seconds=ttl
            )

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
