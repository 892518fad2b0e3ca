"""Single-flight, rate-limited refreshes of state fetched from the KMS."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]


class RefreshGate:
    """Runs a fetch one at a time, and starts one at most once per ``min_interval`` seconds.

    Callers that arrive while a fetch runs wait for it, then find the interval not yet passed and
    return: a hundred concurrent callers cause one fetch.
    """

    def __init__(self, *, min_interval: float, clock: Clock) -> None:
        self._min_interval = min_interval
        self._clock = clock
        self._lock = asyncio.Lock()
        self._attempted_at: float | None = None

    def _allows_attempt(self) -> bool:
        if self._attempted_at is None:
            return True
        return self._clock() - self._attempted_at >= self._min_interval

    async def run(self, fetch: Callable[[], Awaitable[None]]) -> None:
        async with self._lock:
            if not self._allows_attempt():
                return
            self._attempted_at = self._clock()
            await fetch()
