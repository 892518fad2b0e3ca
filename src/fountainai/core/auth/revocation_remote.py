"""``RemoteRevocationList``: the KMS's revocation feed, polled lazily, failing closed when stale."""

from __future__ import annotations

import time

from fountainai.core.auth.errors import AuthUnavailable
from fountainai.core.auth.refresh import Clock, RefreshGate
from fountainai.core.auth.revocation import RevocationFeed, RevocationSnapshot
from fountainai.core.http.client import ServiceClient
from fountainai.core.logging import get_logger

log = get_logger(__name__)


class RemoteRevocationList:
    """The feed at ``url`` (a path on ``client``'s base URL), fetched on demand.

    A snapshot older than ``refresh_seconds`` is refetched (single-flight; at most one attempt per
    ``refresh_seconds``, failed or not). A failed fetch keeps the last snapshot, until it is older
    than ``max_stale_seconds``: then ``snapshot()`` raises ``AuthUnavailable`` (a 503 with
    Retry-After) rather than accept tokens that may have been revoked. No snapshot yet and the
    KMS unreachable is the same 503.
    """

    def __init__(
        self,
        url: str,
        *,
        client: ServiceClient,
        refresh_seconds: float,
        max_stale_seconds: float,
        clock: Clock = time.monotonic,
    ) -> None:
        self.url = url
        self._client = client
        self._refresh_seconds = refresh_seconds
        self._max_stale_seconds = max_stale_seconds
        self._clock = clock
        self._gate = RefreshGate(min_interval=refresh_seconds, clock=clock)
        self._current: RevocationSnapshot | None = None
        self._fetched_at = 0.0
        self._stale_reported = False

    async def snapshot(self) -> RevocationSnapshot:
        if self._current is None or self._age() >= self._refresh_seconds:
            await self._gate.run(self._fetch)
        current = self._current
        if current is None:
            raise AuthUnavailable()
        if self._age() > self._max_stale_seconds:
            if not self._stale_reported:  # once per outage, not once per request
                log.error("revocations_stale", url=self.url, age_s=round(self._age(), 1))
                self._stale_reported = True
            raise AuthUnavailable()
        return current

    def _age(self) -> float:
        return self._clock() - self._fetched_at

    async def _fetch(self) -> None:
        try:
            feed = await self._client.request_json("GET", self.url, model=RevocationFeed)
        except Exception as exc:  # any failure keeps the last snapshot, while it is fresh enough
            log.warning("revocations_fetch_failed", url=self.url, error=type(exc).__name__)
            return
        self._current = RevocationSnapshot.from_feed(feed)
        self._fetched_at = self._clock()
        self._stale_reported = False
