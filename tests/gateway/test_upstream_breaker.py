"""The circuit breaker's state machine, step by step on a fake clock: when it opens (consecutive
failures, failure ratio over a window once there is enough volume), how long it refuses, how many
half-open probes it lets through, and what closes or reopens it."""

from __future__ import annotations

import pytest

from fountainai.gateway.upstream import (
    BreakerPolicy,
    BreakerState,
    CircuitBreaker,
    Target,
)

CLOSED, OPEN, HALF_OPEN = BreakerState.CLOSED, BreakerState.OPEN, BreakerState.HALF_OPEN


class FakeClock:
    def __init__(self, now: float = 500.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Recorder:
    """Collects ``(old, new)`` transitions, as a metrics hook would."""

    def __init__(self) -> None:
        self.changes: list[tuple[BreakerState, BreakerState]] = []

    def __call__(self, old: BreakerState, new: BreakerState) -> None:
        self.changes.append((old, new))


def make(clock: FakeClock, recorder: Recorder | None = None, **policy: object) -> CircuitBreaker:
    return CircuitBreaker(
        BreakerPolicy(**policy),  # type: ignore[arg-type]
        clock=clock,
        on_change=recorder,
    )


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        breaker.record_failure()


def play(breaker: CircuitBreaker, outcomes: str) -> None:
    """``F`` a failure, ``S`` a success, in order."""
    for outcome in outcomes:
        if outcome == "F":
            breaker.record_failure()
        else:
            breaker.record_success()


def open_breaker(
    clock: FakeClock, recorder: Recorder | None = None, **policy: object
) -> CircuitBreaker:
    breaker = make(clock, recorder, failure_threshold=1, open_seconds=10.0, **policy)
    breaker.record_failure()
    assert breaker.state is OPEN
    return breaker


def test_opens_after_the_threshold_of_consecutive_failures() -> None:
    clock, recorder = FakeClock(), Recorder()
    breaker = make(clock, recorder, failure_threshold=5)
    fail(breaker, 4)
    assert breaker.state is CLOSED
    assert breaker.allow()
    assert breaker.consecutive_failures == 4
    breaker.record_failure()
    assert breaker.state is OPEN
    assert not breaker.allow()
    assert recorder.changes == [(CLOSED, OPEN)]
    assert breaker.times_opened == 1


def test_a_success_restarts_the_consecutive_count() -> None:
    breaker = make(FakeClock(), failure_threshold=3)
    fail(breaker, 2)
    breaker.record_success()
    assert breaker.consecutive_failures == 0
    fail(breaker, 2)
    assert breaker.state is CLOSED
    breaker.record_failure()
    assert breaker.state is OPEN


def test_the_failure_ratio_counts_only_once_the_minimum_volume_is_reached() -> None:
    breaker = make(FakeClock(), failure_threshold=100, failure_ratio=0.5, window=10, min_volume=6)
    play(breaker, "FSFSF")  # 3 of 5 failed, but only 5 outcomes
    assert breaker.state is CLOSED
    breaker.record_success()  # 3 of 6: a success never opens the circuit
    assert breaker.state is CLOSED
    breaker.record_failure()  # 4 of 7
    assert breaker.state is OPEN


def test_the_ratio_is_over_a_sliding_window_of_the_last_outcomes() -> None:
    breaker = make(FakeClock(), failure_threshold=100, failure_ratio=0.75, window=4, min_volume=4)
    play(breaker, "FFFSSSSFF")
    assert breaker.state is CLOSED  # the early failures slid out: the window is S S F F
    breaker.record_failure()  # S F F F
    assert breaker.state is OPEN


def test_without_a_ratio_only_consecutive_failures_open_it() -> None:
    breaker = make(FakeClock(), failure_threshold=3, window=4, min_volume=1)
    for _ in range(50):
        fail(breaker, 2)
        breaker.record_success()
    assert breaker.state is CLOSED


def test_an_open_circuit_refuses_until_open_seconds_have_passed() -> None:
    clock, recorder = FakeClock(), Recorder()
    breaker = open_breaker(clock, recorder)
    clock.now += 9.99
    assert not breaker.would_allow()
    assert not breaker.allow()
    assert breaker.state is OPEN
    clock.now += 0.01
    assert breaker.state is HALF_OPEN
    assert recorder.changes == [(CLOSED, OPEN), (OPEN, HALF_OPEN)]


def test_outcomes_of_requests_sent_before_it_opened_change_nothing() -> None:
    clock = FakeClock()
    breaker = open_breaker(clock)
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is OPEN
    clock.now += 10.0  # the reopening failure did not push the half-open time back
    assert breaker.state is HALF_OPEN


def test_half_open_lets_through_at_most_the_probe_limit_at_once() -> None:
    clock = FakeClock()
    breaker = open_breaker(clock, half_open_probes=2)
    clock.now += 10.0
    assert breaker.would_allow()
    assert breaker.allow()
    assert breaker.allow()
    assert not breaker.would_allow()
    assert not breaker.allow()
    assert breaker.state is HALF_OPEN
    breaker.release()  # one probe's client went away: its slot is free again
    assert breaker.allow()
    assert not breaker.allow()


def test_a_probe_that_never_reports_gives_its_slot_back_after_open_seconds() -> None:
    clock = FakeClock()
    breaker = open_breaker(clock)
    clock.now += 10.0
    assert breaker.allow()
    clock.now += 9.0
    assert not breaker.allow()
    clock.now += 1.0
    assert breaker.allow()


def test_a_failure_in_half_open_reopens_it_for_open_seconds_again() -> None:
    clock, recorder = FakeClock(), Recorder()
    breaker = open_breaker(clock, recorder)
    clock.now += 10.0
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state is OPEN
    assert not breaker.allow()
    clock.now += 9.5
    assert breaker.state is OPEN
    clock.now += 0.5
    assert breaker.state is HALF_OPEN
    assert recorder.changes == [
        (CLOSED, OPEN),
        (OPEN, HALF_OPEN),
        (HALF_OPEN, OPEN),
        (OPEN, HALF_OPEN),
    ]
    assert breaker.times_opened == 2


def test_a_success_in_half_open_closes_it_and_forgets_the_failures() -> None:
    clock, recorder = FakeClock(), Recorder()
    breaker = make(clock, recorder, failure_threshold=3, open_seconds=10.0)
    fail(breaker, 3)
    clock.now += 10.0
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state is CLOSED
    assert breaker.consecutive_failures == 0
    assert recorder.changes[-1] == (HALF_OPEN, CLOSED)
    assert all(breaker.allow() for _ in range(5))  # no probe limit once closed
    fail(breaker, 2)
    assert breaker.state is CLOSED  # a full threshold is needed again
    breaker.record_failure()
    assert breaker.state is OPEN


def test_a_closing_success_also_clears_the_ratio_window() -> None:
    clock = FakeClock()
    breaker = make(
        clock, failure_threshold=100, failure_ratio=0.5, window=4, min_volume=2, open_seconds=1
    )
    fail(breaker, 2)
    assert breaker.state is OPEN
    clock.now += 1.0
    breaker.record_success()
    breaker.record_failure()  # 1 outcome: below the minimum volume, old failures forgotten
    assert breaker.state is CLOSED


@pytest.mark.parametrize("status", [500, 501, 200, 204, 301, 400, 401, 404, 409, 429])
def test_answers_other_than_502_503_504_are_not_failures(status: int) -> None:
    target = Target("http://127.0.0.1:9", make(FakeClock(), failure_threshold=1))
    for _ in range(10):
        target.record_result(status)
    assert target.breaker.state is CLOSED
    assert target.breaker.consecutive_failures == 0


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_failure_statuses_count(status: int) -> None:
    target = Target("http://127.0.0.1:9", make(FakeClock(), failure_threshold=2))
    target.record_result(status)
    assert target.breaker.state is CLOSED
    target.record_result(status)
    assert target.breaker.state is OPEN


def test_the_failure_statuses_are_configurable() -> None:
    breaker = make(FakeClock(), failure_threshold=1, failure_statuses=frozenset({500}))
    target = Target("http://127.0.0.1:9", breaker)
    target.record_result(503)
    assert breaker.state is CLOSED
    target.record_result(500)
    assert breaker.state is OPEN


def test_transport_failures_always_count() -> None:
    target = Target("http://127.0.0.1:9", make(FakeClock(), failure_threshold=2))
    target.record_failure()
    target.record_failure()
    assert target.breaker.state is OPEN


def test_reset_closes_an_open_circuit_at_once() -> None:
    clock, recorder = FakeClock(), Recorder()
    breaker = open_breaker(clock, recorder)
    breaker.reset()
    assert breaker.state is CLOSED
    assert breaker.allow()
    assert breaker.consecutive_failures == 0
    assert recorder.changes == [(CLOSED, OPEN), (OPEN, CLOSED)]
    breaker.reset()  # already closed: no transition to report
    assert len(recorder.changes) == 2


def test_probe_now_ends_the_open_wait_for_one_probe() -> None:
    clock, recorder = FakeClock(), Recorder()
    breaker = open_breaker(clock, recorder)
    breaker.probe_now()
    assert breaker.state is HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()  # one probe at a time, as after open_seconds
    breaker.record_failure()  # the probe failed: open for open_seconds again
    assert breaker.state is OPEN
    breaker.probe_now()
    breaker.record_success()
    assert breaker.state is CLOSED
    breaker.probe_now()  # closed: nothing to do
    assert breaker.state is CLOSED
    assert recorder.changes == [
        (CLOSED, OPEN), (OPEN, HALF_OPEN), (HALF_OPEN, OPEN), (OPEN, HALF_OPEN), (HALF_OPEN, CLOSED)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "policy",
    [
        {"failure_threshold": 0},
        {"open_seconds": 0},
        {"failure_ratio": 0.0},
        {"failure_ratio": 1.5},
        {"min_volume": 0},
        {"window": 5, "min_volume": 6},
        {"half_open_probes": 0},
    ],
)
def test_a_nonsensical_policy_is_refused(policy: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        BreakerPolicy(**policy)  # type: ignore[arg-type]
