"""Upstream targets and the per-service pools the proxy picks them from (round robin over the
targets that are healthy and whose circuit lets a request through; never waits)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypedDict

from fountainai.gateway.routes import RouteTable
from fountainai.gateway.upstream.breaker import (
    DEFAULT_FAILURE_STATUSES,
    BreakerPolicy,
    BreakerState,
    CircuitBreaker,
    StateListener,
)

TargetListener = Callable[[str, str, BreakerState, BreakerState], None]
"""``(service, target url, old state, new state)``: a circuit changed state."""


class TargetSnapshot(TypedDict):
    """One target's state, as ``/health/services`` shows it (JSON-ready)."""

    url: str
    healthy: bool
    breaker: str
    consecutive_failures: int
    last_check_at: float | None  # Unix seconds of the last active check
    last_error: str | None  # what went wrong in the last active check (None: it passed)


class Target:
    """One upstream base URL (``http://host:port``, no trailing slash) and its circuit.

    ``healthy`` is the active health check's verdict (a new target is presumed healthy); the
    ``check_*`` fields are the checker's bookkeeping. Hashed by identity.
    """

    def __init__(self, url: str, breaker: CircuitBreaker | None = None) -> None:
        self.url = url.rstrip("/")
        self.breaker = breaker or CircuitBreaker()
        self.healthy = True
        self.check_successes = 0  # consecutive
        self.check_failures = 0  # consecutive
        self.last_check_at: float | None = None
        self.last_error: str | None = None

    def __repr__(self) -> str:
        return f"Target({self.url!r}, healthy={self.healthy}, breaker={self.breaker.state})"

    @property
    def available(self) -> bool:
        """Healthy and its circuit would let a request through (nothing reserved)."""
        return self.healthy and self.breaker.would_allow()

    def record_failure(self) -> None:
        """A transport failure: connection refused or reset, timeout."""
        self.breaker.record_failure()

    def record_result(self, status: int) -> None:
        """The target answered ``status``; 502/503/504 (by default) count as failures."""
        if self.breaker.is_failure_status(status):
            self.breaker.record_failure()
        else:
            self.breaker.record_success()

    def release(self) -> None:
        """The attempt ended with no outcome (the client went away): free its probe slot."""
        self.breaker.release()

    def snapshot(self) -> TargetSnapshot:
        return TargetSnapshot(
            url=self.url,
            healthy=self.healthy,
            breaker=self.breaker.state.value,
            consecutive_failures=self.breaker.consecutive_failures,
            last_check_at=self.last_check_at,
            last_error=self.last_error,
        )


class TargetPool:
    """One service's targets, handed out round robin."""

    def __init__(self, service: str, targets: Sequence[Target]) -> None:
        if not targets:
            raise ValueError(f"service {service!r} has no targets")
        self.service = service
        self.targets: tuple[Target, ...] = tuple(targets)
        self._next = 0

    def __repr__(self) -> str:
        return f"TargetPool({self.service!r}, {list(self.targets)!r})"

    def pick(self, exclude: Iterable[Target] = frozenset()) -> Target | None:
        """The next available target not in ``exclude`` (a half-open one's probe slot is taken
        for the caller), or None at once when there is none."""
        excluded = exclude if isinstance(exclude, (set, frozenset)) else set(exclude)
        count = len(self.targets)
        for offset in range(count):
            index = (self._next + offset) % count
            target = self.targets[index]
            if target in excluded or not target.healthy:
                continue
            if target.breaker.allow():
                self._next = (index + 1) % count
                return target
        return None

    def snapshot(self) -> list[TargetSnapshot]:
        return [target.snapshot() for target in self.targets]


def build_pools(
    table: RouteTable,
    *,
    failure_threshold: int = 5,
    open_seconds: float = 10.0,
    failure_ratio: float | None = None,
    window: int = 20,
    min_volume: int = 10,
    half_open_probes: int = 1,
    failure_statuses: frozenset[int] = DEFAULT_FAILURE_STATUSES,
    clock: Callable[[], float] = time.monotonic,
    on_change: TargetListener | None = None,
) -> dict[str, TargetPool]:
    """A pool per route, each target with its own circuit under one policy."""
    policy = BreakerPolicy(
        failure_threshold=failure_threshold,
        open_seconds=open_seconds,
        failure_ratio=failure_ratio,
        window=window,
        min_volume=min_volume,
        half_open_probes=half_open_probes,
        failure_statuses=failure_statuses,
    )

    def target(service: str, url: str) -> Target:
        listener = None if on_change is None else _bound(on_change, service, url)
        return Target(url, CircuitBreaker(policy, clock=clock, on_change=listener))

    return {
        route.service: TargetPool(route.service, [target(route.service, u) for u in route.targets])
        for route in table.routes
    }


def _bound(on_change: TargetListener, service: str, url: str) -> StateListener:
    def listener(old: BreakerState, new: BreakerState) -> None:
        on_change(service, url, old, new)

    return listener
