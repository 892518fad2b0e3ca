"""The limiter's contract, for every algorithm (and, as backends are added, every backend):
exact counts under concurrency, refusals that change nothing, a ``retry_after`` that is honest,
keys and quotas kept apart, and bounded memory."""

from __future__ import annotations

import asyncio
import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fountainai.gateway.ratelimit import (
    ALGORITHMS,
    Algorithm,
    Decision,
    InProcessLimiter,
    Quota,
    rate_limit_headers,
)


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=ALGORITHMS)
def algorithm(request: pytest.FixtureRequest) -> Algorithm:
    algorithm: Algorithm = request.param
    return algorithm


async def admitted(limiter: InProcessLimiter, quota: Quota, key: str, count: int) -> int:
    return sum([(await limiter.hit(quota, key)).allowed for _ in range(count)])


async def test_a_burst_of_concurrent_requests_admits_exactly_the_limit(
    algorithm: Algorithm,
) -> None:
    limiter = InProcessLimiter(clock=FakeClock())
    quota = Quota("default", limit=100, window=60, algorithm=algorithm)
    decisions = await asyncio.gather(*(limiter.hit(quota, "user:1") for _ in range(1000)))
    assert sum(d.allowed for d in decisions) == 100
    refused = [d for d in decisions if not d.allowed]
    assert {d.remaining for d in refused} == {0}
    assert all(d.retry_after >= 1 for d in refused)


async def test_keys_and_quotas_are_counted_apart(algorithm: Algorithm) -> None:
    limiter = InProcessLimiter(clock=FakeClock())
    minute = Quota("minute", limit=3, window=60, algorithm=algorithm)
    hour = Quota("hour", limit=5, window=3600, algorithm=algorithm)
    assert await admitted(limiter, minute, "user:1", 10) == 3
    assert await admitted(limiter, minute, "user:2", 10) == 3
    assert await admitted(limiter, hour, "user:1", 10) == 5


async def test_the_sliding_window_weighs_the_previous_window() -> None:
    clock = FakeClock(600.0)  # the start of a 60 s window
    limiter = InProcessLimiter(clock=clock)
    quota = Quota("default", limit=10, window=60)
    assert await admitted(limiter, quota, "k", 10) == 10
    clock.now = 660.0  # the next window: the previous one still counts in full
    refused = await limiter.hit(quota, "k")
    assert not refused.allowed
    # Half of the previous window has slid out at 690: room for 5, no more.
    assert refused.retry_after == 6  # 10 * (1 - t/60) <= 9 from t = 6
    clock.now = 690.0
    assert await admitted(limiter, quota, "k", 10) == 5


async def test_the_token_bucket_refills_at_a_steady_rate() -> None:
    clock = FakeClock()
    limiter = InProcessLimiter(clock=clock)
    quota = Quota("default", limit=10, window=10, algorithm="token-bucket")  # 1 per second
    assert await admitted(limiter, quota, "k", 20) == 10
    refused = await limiter.hit(quota, "k")
    assert (refused.allowed, refused.retry_after, refused.reset) == (False, 1, 10)
    clock.now += 2.5
    assert await admitted(limiter, quota, "k", 5) == 2
    clock.now += 60
    decision = await limiter.hit(quota, "k")
    assert (decision.allowed, decision.remaining) == (True, 9)


async def test_a_refused_request_is_not_counted(algorithm: Algorithm) -> None:
    clock = FakeClock(0.0)
    limiter = InProcessLimiter(clock=clock)
    quota = Quota("default", limit=2, window=10, algorithm=algorithm)
    assert await admitted(limiter, quota, "k", 1000) == 2
    first = await limiter.hit(quota, "k")
    clock.now += first.retry_after
    assert (await limiter.hit(quota, "k")).allowed


@settings(max_examples=200, deadline=None)
@given(
    algorithm=st.sampled_from(ALGORITHMS),
    limit=st.integers(1, 20),
    window=st.integers(1, 120),
    steps=st.lists(st.tuples(st.floats(0, 200, allow_nan=False), st.integers(1, 30)), max_size=12),
)
async def test_retry_after_is_honest(
    algorithm: Algorithm, limit: int, window: int, steps: list[tuple[float, int]]
) -> None:
    """Whenever a request is refused, one sent ``retry_after`` seconds later is admitted; no
    span of ``window`` seconds ever admits more than twice the limit (both rules admit at most
    ``limit`` per fixed window, or a full bucket plus one window's refill)."""
    clock = FakeClock(5_000.0)
    limiter = InProcessLimiter(clock=clock)
    quota = Quota("default", limit=limit, window=window, algorithm=algorithm)
    admitted_at: list[float] = []
    for advance, burst in steps:
        clock.now += advance
        for _ in range(burst):
            decision = await limiter.hit(quota, "k")
            assert 0 <= decision.remaining <= limit
            if decision.allowed:
                admitted_at.append(clock.now)
                continue
            later = copy.deepcopy(limiter)  # the same counts, ``retry_after`` seconds on
            later.clock = FakeClock(clock.now + decision.retry_after)
            assert (await later.hit(quota, "k")).allowed, decision
    for start in admitted_at:
        within = [t for t in admitted_at if start <= t < start + window]
        assert len(within) <= 2 * limit


def test_headers_carry_the_policy_and_what_remains() -> None:
    quota = Quota("per-user", limit=100, window=60)
    allowed = rate_limit_headers(quota, Decision(True, 42, 17, 0))
    assert allowed == {
        "RateLimit-Policy": '"per-user";q=100;w=60',
        "RateLimit": '"per-user";r=42;t=17',
        "X-RateLimit-Limit": "100",
        "X-RateLimit-Remaining": "42",
        "X-RateLimit-Reset": "17",
    }
    refused = rate_limit_headers(quota, Decision(False, 0, 17, 9))
    assert refused["Retry-After"] == "9"


async def test_memory_is_bounded_by_forgetting_the_least_recent_key() -> None:
    limiter = InProcessLimiter(max_keys=100, clock=FakeClock())
    quota = Quota("default", limit=1, window=60)
    assert await admitted(limiter, quota, "kept", 1) == 1
    for n in range(1000):
        await limiter.hit(quota, f"ip:{n}")
        await limiter.hit(quota, "kept")  # recently used: never the one forgotten
    assert len(limiter) == 100
    assert not (await limiter.hit(quota, "kept")).allowed


@pytest.mark.parametrize(
    ("name", "limit", "window", "algorithm"),
    [
        ("", 1, 1, "sliding-window"),
        ('a"b', 1, 1, "sliding-window"),
        ("ok", 0, 1, "sliding-window"),
        ("ok", 1, 0, "sliding-window"),
        ("ok", 1, 1, "fixed-window"),
    ],
)
def test_a_bad_quota_is_refused(name: str, limit: int, window: int, algorithm: str) -> None:
    with pytest.raises(ValueError, match=r"quota|algorithm"):
        Quota(name, limit=limit, window=window, algorithm=algorithm)  # type: ignore[arg-type]
