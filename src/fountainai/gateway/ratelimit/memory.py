"""The in-process backend (the embedded default): one process's counts in a bounded dict.

Each check runs without an ``await`` between reading and writing a key's state, so concurrent
requests on one event loop are counted exactly (the Redis backend gets the same from one Lua
script per request). Counts are per process: several gateway processes need Redis.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from fountainai.gateway.ratelimit.algorithms import (
    BucketState,
    WindowState,
    sliding_window,
    token_bucket,
)
from fountainai.gateway.ratelimit.quota import Decision, Quota

DEFAULT_MAX_KEYS = 100_000


class InProcessLimiter:
    """Counts requests per (quota, key). At most ``max_keys`` keys are kept: past that, the
    least recently used key is forgotten (its client starts afresh), so memory stays bounded
    whatever the number of clients."""

    def __init__(
        self,
        *,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be at least 1")
        self.max_keys = max_keys
        self.clock = clock
        self._states: OrderedDict[tuple[str, str], WindowState | BucketState] = OrderedDict()

    def __len__(self) -> int:
        return len(self._states)

    async def hit(self, quota: Quota, key: str) -> Decision:
        """Check one request of ``key`` against ``quota``, counting it if admitted."""
        now = self.clock()
        slot = (_slot_name(quota), key)
        state = self._states.get(slot)
        if state is None:
            state = self._new_state(quota, now)
            self._states[slot] = state
            while len(self._states) > self.max_keys:
                self._states.popitem(last=False)
        else:
            self._states.move_to_end(slot)
        if isinstance(state, BucketState):
            return token_bucket(quota, state, now)
        return sliding_window(quota, state, now)

    async def hit_all(self, checks: Sequence[tuple[Quota, str]]) -> list[Decision]:
        """Check one request against several (quota, key)s in order; the first refusal stops
        (later quotas are not counted), so the decisions end there."""
        decisions: list[Decision] = []
        for quota, key in checks:
            decisions.append(await self.hit(quota, key))
            if not decisions[-1].allowed:
                break
        return decisions

    @staticmethod
    def _new_state(quota: Quota, now: float) -> WindowState | BucketState:
        if quota.algorithm == "token-bucket":
            return BucketState(tokens=float(quota.limit), updated=now)
        return WindowState()


def _slot_name(quota: Quota) -> str:
    """One state per quota definition: changing a quota's numbers starts its counts afresh."""
    return f"{quota.name}:{quota.algorithm}:{quota.limit}:{quota.window}"
