"""A circuit breaker per upstream target: ``closed`` → ``open`` → ``half-open`` → ``closed``.

Passive: it learns only from the gateway's own requests. An open circuit recovers through
half-open probes (real requests let through one at a time), which a good active health check
starts at once (``probe_now()``), or that check's ``reset()`` when it had taken the target out;
so a target is never disabled for good (Kong's passive checks can only disable).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


# 500 is the application's own bug, passed through as-is; 502/503/504 mean "not serving".
DEFAULT_FAILURE_STATUSES: frozenset[int] = frozenset({502, 503, 504})

StateListener = Callable[[BreakerState, BreakerState], None]


@dataclass(frozen=True)
class BreakerPolicy:
    """When a circuit opens and how it recovers.

    Opens after ``failure_threshold`` consecutive failures, or (if ``failure_ratio`` is set) when
    at least that share of the last ``window`` outcomes failed, counted once ``min_volume``
    outcomes are in. Stays open ``open_seconds``, then lets ``half_open_probes`` requests through
    at once; a probe's slot is reclaimed after ``open_seconds`` if its outcome never comes back.
    """

    failure_threshold: int = 5
    open_seconds: float = 10.0
    failure_ratio: float | None = None
    window: int = 20
    min_volume: int = 10
    half_open_probes: int = 1
    failure_statuses: frozenset[int] = DEFAULT_FAILURE_STATUSES

    def __post_init__(self) -> None:
        if self.failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if self.open_seconds <= 0:
            raise ValueError("open_seconds must be positive")
        if self.failure_ratio is not None and not 0 < self.failure_ratio <= 1:
            raise ValueError("failure_ratio must be in (0, 1]")
        if not 1 <= self.min_volume <= self.window:
            raise ValueError("min_volume must be between 1 and window")
        if self.half_open_probes < 1:
            raise ValueError("half_open_probes must be at least 1")


class CircuitBreaker:
    """One target's circuit. Not thread-safe: used from one event loop, without awaits inside."""

    def __init__(
        self,
        policy: BreakerPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_change: StateListener | None = None,
    ) -> None:
        self.policy = policy or BreakerPolicy()
        self.on_change = on_change
        self.times_opened = 0
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._consecutive_failures = 0
        self._outcomes: deque[bool] = deque(maxlen=self.policy.window)  # True: a failure
        self._opened_at = 0.0
        self._probes: list[float] = []  # when each outstanding half-open probe was let through

    @property
    def state(self) -> BreakerState:
        self._refresh()
        return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._consecutive_failures

    def would_allow(self) -> bool:
        """Whether ``allow()`` would let a request through now (reserves nothing)."""
        self._refresh()
        if self._state is BreakerState.CLOSED:
            return True
        if self._state is BreakerState.OPEN:
            return False
        return len(self._probes) < self.policy.half_open_probes

    def allow(self) -> bool:
        """Whether a request may go to this target; in half-open, takes one probe slot."""
        if not self.would_allow():
            return False
        if self._state is BreakerState.HALF_OPEN:
            self._probes.append(self._clock())
        return True

    def release(self) -> None:
        """Give back a half-open probe slot whose request ended without an outcome (cancelled)."""
        if self._probes:
            self._probes.pop(0)

    def is_failure_status(self, status: int) -> bool:
        return status in self.policy.failure_statuses

    def record_success(self) -> None:
        self._refresh()
        if self._state is BreakerState.OPEN:
            return  # a request let through before the circuit opened: no news
        if self._state is BreakerState.HALF_OPEN:
            self._close()
            return
        self._consecutive_failures = 0
        self._outcomes.append(False)

    def record_failure(self) -> None:
        self._refresh()
        if self._state is BreakerState.OPEN:
            return
        if self._state is BreakerState.HALF_OPEN:
            self._open()
            return
        self._consecutive_failures += 1
        self._outcomes.append(True)
        if self._consecutive_failures >= self.policy.failure_threshold or self._ratio_tripped():
            self._open()

    def probe_now(self) -> None:
        """End an open circuit's wait: half-open at once, so the next request probes the target
        (an active health check saw it answer). No effect unless open."""
        self._refresh()
        if self._state is BreakerState.OPEN:
            self._half_open()

    def reset(self) -> None:
        """Close the circuit and forget its history (an active health check saw the target
        come back)."""
        self._close()

    def _ratio_tripped(self) -> bool:
        ratio = self.policy.failure_ratio
        if ratio is None or len(self._outcomes) < self.policy.min_volume:
            return False
        return sum(self._outcomes) / len(self._outcomes) >= ratio

    def _refresh(self) -> None:
        now = self._clock()
        if self._state is BreakerState.OPEN:
            if now - self._opened_at >= self.policy.open_seconds:
                self._half_open()
        elif self._state is BreakerState.HALF_OPEN:
            expired = now - self.policy.open_seconds
            self._probes = [started for started in self._probes if started > expired]

    def _open(self) -> None:
        self._opened_at = self._clock()
        self._probes.clear()
        self.times_opened += 1
        self._move(BreakerState.OPEN)

    def _half_open(self) -> None:
        self._probes.clear()
        self._move(BreakerState.HALF_OPEN)

    def _close(self) -> None:
        self._consecutive_failures = 0
        self._outcomes.clear()
        self._probes.clear()
        self._move(BreakerState.CLOSED)

    def _move(self, new: BreakerState) -> None:
        old, self._state = self._state, new
        if old is not new and self.on_change is not None:
            self.on_change(old, new)
