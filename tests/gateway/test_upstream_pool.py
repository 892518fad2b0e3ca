"""Target pools: fair round robin over the available targets, skipping open circuits, unhealthy
and excluded targets, None at once when nothing is left; half-open probe slots taken only by
the target handed out; snapshots; pools built from a routing table."""

from __future__ import annotations

from collections import Counter

import pytest

from fountainai.gateway.routes import Route, RouteTable
from fountainai.gateway.upstream import (
    BreakerPolicy,
    BreakerState,
    CircuitBreaker,
    Target,
    TargetPool,
    build_pools,
)


class FakeClock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def three_targets(clock: FakeClock) -> list[Target]:
    policy = BreakerPolicy(failure_threshold=1, open_seconds=10.0)
    return [
        Target(f"http://10.0.0.{n}:8000", CircuitBreaker(policy, clock=clock)) for n in (1, 2, 3)
    ]


def state_of(target: Target) -> BreakerState:
    """Read afresh each time (mypy would keep a narrowed attribute across the calls)."""
    return target.breaker.state


def picks(pool: TargetPool, count: int, exclude: frozenset[Target] = frozenset()) -> list[str]:
    chosen = [pool.pick(exclude) for _ in range(count)]
    return [target.url[-6:-5] if target else "-" for target in chosen]  # the host's last digit


def test_round_robin_is_fair_and_in_order_over_three_targets() -> None:
    pool = TargetPool("scripts", three_targets(FakeClock()))
    assert picks(pool, 7) == ["1", "2", "3", "1", "2", "3", "1"]
    counts = Counter(picks(pool, 300))
    assert counts == {"1": 100, "2": 100, "3": 100}


def test_a_target_with_an_open_circuit_is_skipped() -> None:
    a, b, c = three_targets(FakeClock())
    pool = TargetPool("scripts", [a, b, c])
    b.record_failure()
    assert not b.available
    assert picks(pool, 6) == ["1", "3", "1", "3", "1", "3"]


def test_an_unhealthy_target_is_skipped_even_with_a_closed_circuit() -> None:
    a, b, c = three_targets(FakeClock())
    pool = TargetPool("scripts", [a, b, c])
    c.healthy = False
    assert c.breaker.state is BreakerState.CLOSED
    assert not c.available
    assert picks(pool, 4) == ["1", "2", "1", "2"]


def test_excluded_targets_are_skipped() -> None:
    a, b, c = three_targets(FakeClock())
    pool = TargetPool("scripts", [a, b, c])
    assert picks(pool, 4, frozenset({a})) == ["2", "3", "2", "3"]
    assert pool.pick(exclude={a, b, c}) is None
    assert pool.pick(exclude=[b, c]) is a  # any iterable of targets


def test_none_at_once_when_every_target_is_down() -> None:
    a, b, c = three_targets(FakeClock())
    pool = TargetPool("scripts", [a, b, c])
    a.record_failure()
    b.healthy = False
    assert pool.pick(exclude={c}) is None
    c.record_result(503)
    assert pool.pick() is None


def test_a_retry_excluding_what_was_tried_reaches_each_target_once() -> None:
    pool = TargetPool("scripts", three_targets(FakeClock()))
    tried: set[Target] = set()
    while (target := pool.pick(exclude=tried)) is not None:
        assert target not in tried
        tried.add(target)
    assert tried == set(pool.targets)


def test_a_half_open_target_is_handed_out_once_per_probe_slot() -> None:
    clock = FakeClock()
    a = three_targets(clock)[0]
    pool = TargetPool("scripts", [a])
    a.record_failure()
    assert pool.pick() is None
    clock.now += 10.0
    assert a.available
    assert pool.pick() is a  # took the only probe slot
    assert not a.available
    assert pool.pick() is None
    a.record_result(200)
    assert a.breaker.state is BreakerState.CLOSED
    assert [pool.pick() for _ in range(3)] == [a, a, a]


def test_skipping_a_half_open_target_does_not_take_its_probe_slot() -> None:
    clock = FakeClock()
    a, b, _ = three_targets(clock)
    pool = TargetPool("scripts", [a, b])
    a.record_failure()
    clock.now += 10.0
    assert pool.pick(exclude={a}) is b
    assert pool.pick(exclude={a}) is b
    assert pool.pick() is a  # its slot is still free


def test_the_snapshot_shows_each_targets_state() -> None:
    a, b, c = three_targets(FakeClock())
    pool = TargetPool("scripts", [a, b, c])
    b.record_failure()
    c.healthy = False
    c.last_check_at = 1_700_000_000.0
    c.last_error = "HTTP 503"
    assert pool.snapshot() == [
        {
            "url": "http://10.0.0.1:8000",
            "healthy": True,
            "breaker": "closed",
            "consecutive_failures": 0,
            "last_check_at": None,
            "last_error": None,
        },
        {
            "url": "http://10.0.0.2:8000",
            "healthy": True,
            "breaker": "open",
            "consecutive_failures": 1,
            "last_check_at": None,
            "last_error": None,
        },
        {
            "url": "http://10.0.0.3:8000",
            "healthy": False,
            "breaker": "closed",
            "consecutive_failures": 0,
            "last_check_at": 1_700_000_000.0,
            "last_error": "HTTP 503",
        },
    ]


def test_a_pool_needs_a_target() -> None:
    with pytest.raises(ValueError, match="no targets"):
        TargetPool("scripts", [])


def test_build_pools_gives_every_target_its_own_circuit_under_one_policy() -> None:
    table = RouteTable(
        routes=(
            Route(service="scripts", targets=("http://s1:8006/", "http://s2:8006")),
            Route(service="kms", targets=("http://k1:8003",)),
        )
    )
    changes: list[tuple[str, str, BreakerState, BreakerState]] = []
    clock = FakeClock()
    pools = build_pools(
        table,
        failure_threshold=2,
        open_seconds=5.0,
        clock=clock,
        on_change=lambda *change: changes.append(change),
    )
    assert set(pools) == {"scripts", "kms"}
    scripts = pools["scripts"]
    assert scripts.service == "scripts"
    assert [t.url for t in scripts.targets] == ["http://s1:8006", "http://s2:8006"]
    s1, s2 = scripts.targets
    assert s1.breaker is not s2.breaker
    s1.record_failure()
    assert state_of(s1) is BreakerState.CLOSED
    s1.record_failure()
    assert state_of(s1) is BreakerState.OPEN
    assert state_of(s2) is BreakerState.CLOSED
    assert pools["kms"].pick() is pools["kms"].targets[0]
    clock.now += 5.0
    assert state_of(s1) is BreakerState.HALF_OPEN
    assert changes == [
        ("scripts", "http://s1:8006", BreakerState.CLOSED, BreakerState.OPEN),
        ("scripts", "http://s1:8006", BreakerState.OPEN, BreakerState.HALF_OPEN),
    ]
