"""The limiter's contract, for every algorithm and every backend (in-process, and the real Redis
at 127.0.0.1:6379): exact counts under concurrency, refusals that change nothing, a
``retry_after`` that is honest, keys and quotas kept apart; the Redis scripts decide exactly as
the Python rules do; the in-process backend's memory is bounded."""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis.asyncio import Redis
from redis.exceptions import RedisError

from fountainai.gateway.ratelimit import (
    ALGORITHMS,
    Algorithm,
    Decision,
    InProcessLimiter,
    Quota,
    RedisLimiter,
    rate_limit_headers,
)
from fountainai.gateway.redis_wire import PipelinedRedis

Limiter = InProcessLimiter | RedisLimiter
MakeLimiter = Callable[["FakeClock"], Limiter]


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["in-process", "redis", "redis-pipelined"])
def make_limiter(request: pytest.FixtureRequest) -> MakeLimiter:
    """A limiter of each backend, on the test's clock: in-process, and the real Redis through
    redis-py and through the gateway's pipelined client."""
    if request.param == "in-process":
        return lambda clock: InProcessLimiter(clock=clock)
    redis: Redis = request.getfixturevalue("redis")
    prefix: str = redis.test_prefix  # type: ignore[attr-defined]
    if request.param == "redis":
        return lambda clock: RedisLimiter(redis, prefix=prefix, clock=clock)
    pipelined: PipelinedRedis = request.getfixturevalue("pipelined")
    return lambda clock: RedisLimiter(pipelined, prefix=prefix, clock=clock)


@pytest.fixture(params=ALGORITHMS)
def algorithm(request: pytest.FixtureRequest) -> Algorithm:
    algorithm: Algorithm = request.param
    return algorithm


async def admitted(limiter: Limiter, quota: Quota, key: str, count: int) -> int:
    return sum([(await limiter.hit(quota, key)).allowed for _ in range(count)])


async def test_a_burst_of_concurrent_requests_admits_exactly_the_limit(
    algorithm: Algorithm, make_limiter: MakeLimiter
) -> None:
    limiter = make_limiter(FakeClock())
    quota = Quota("default", limit=100, window=60, algorithm=algorithm)
    decisions = await asyncio.gather(*(limiter.hit(quota, "user:1") for _ in range(1000)))
    assert sum(d.allowed for d in decisions) == 100
    refused = [d for d in decisions if not d.allowed]
    assert {d.remaining for d in refused} == {0}
    assert all(d.retry_after >= 1 for d in refused)


async def test_keys_and_quotas_are_counted_apart(
    algorithm: Algorithm, make_limiter: MakeLimiter
) -> None:
    limiter = make_limiter(FakeClock())
    minute = Quota("minute", limit=3, window=60, algorithm=algorithm)
    hour = Quota("hour", limit=5, window=3600, algorithm=algorithm)
    assert await admitted(limiter, minute, "user:1", 10) == 3
    assert await admitted(limiter, minute, "user:2", 10) == 3
    assert await admitted(limiter, hour, "user:1", 10) == 5


async def test_the_sliding_window_weighs_the_previous_window(make_limiter: MakeLimiter) -> None:
    clock = FakeClock(600.0)  # the start of a 60 s window
    limiter = make_limiter(clock)
    quota = Quota("default", limit=10, window=60)
    assert await admitted(limiter, quota, "k", 10) == 10
    clock.now = 660.0  # the next window: the previous one still counts in full
    refused = await limiter.hit(quota, "k")
    assert not refused.allowed
    # Half of the previous window has slid out at 690: room for 5, no more.
    assert refused.retry_after == 6  # 10 * (1 - t/60) <= 9 from t = 6
    clock.now = 690.0
    assert await admitted(limiter, quota, "k", 10) == 5


async def test_the_token_bucket_refills_at_a_steady_rate(make_limiter: MakeLimiter) -> None:
    clock = FakeClock()
    limiter = make_limiter(clock)
    quota = Quota("default", limit=10, window=10, algorithm="token-bucket")  # 1 per second
    assert await admitted(limiter, quota, "k", 20) == 10
    refused = await limiter.hit(quota, "k")
    assert (refused.allowed, refused.retry_after, refused.reset) == (False, 1, 10)
    clock.now += 2.5
    assert await admitted(limiter, quota, "k", 5) == 2
    clock.now += 60
    decision = await limiter.hit(quota, "k")
    assert (decision.allowed, decision.remaining) == (True, 9)


async def test_a_refused_request_is_not_counted(
    algorithm: Algorithm, make_limiter: MakeLimiter
) -> None:
    clock = FakeClock(0.0)
    limiter = make_limiter(clock)
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


def test_headers_carry_every_policy_and_the_tightest_in_the_x_trio() -> None:
    user = Quota("per-user", limit=100, window=60)
    ip = Quota("per-ip", limit=300, window=60)
    allowed = dict(
        rate_limit_headers([(user, Decision(True, 42, 17, 0)), (ip, Decision(True, 7, 30, 0))])
    )
    assert allowed == {
        b"ratelimit-policy": b'"per-user";q=100;w=60, "per-ip";q=300;w=60',
        b"ratelimit": b'"per-user";r=42;t=17, "per-ip";r=7;t=30',
        b"x-ratelimit-limit": b"300",
        b"x-ratelimit-remaining": b"7",
        b"x-ratelimit-reset": b"30",
    }
    refused = dict(rate_limit_headers([(user, Decision(False, 0, 17, 9))]))
    assert refused[b"retry-after"] == b"9"
    assert refused[b"x-ratelimit-remaining"] == b"0"
    assert rate_limit_headers([]) == []


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


STEPS = st.lists(
    st.tuples(st.floats(0, 200, allow_nan=False), st.integers(1, 30)), min_size=1, max_size=10
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    algorithm=st.sampled_from(ALGORITHMS),
    limit=st.integers(1, 20),
    window=st.integers(1, 120),
    steps=STEPS,
)
async def test_the_redis_scripts_decide_as_the_python_rules_do(
    redis: Redis, algorithm: Algorithm, limit: int, window: int, steps: list[tuple[float, int]]
) -> None:
    clock = FakeClock(7_000.0)
    prefix = f"{redis.test_prefix}:{uuid.uuid4().hex}"  # type: ignore[attr-defined]
    in_redis = RedisLimiter(redis, prefix=prefix, clock=clock)
    in_process = InProcessLimiter(clock=clock)
    quota = Quota("default", limit=limit, window=window, algorithm=algorithm)
    for advance, burst in steps:
        clock.now += advance
        for _ in range(burst):
            assert await in_redis.hit(quota, "k") == await in_process.hit(quota, "k")


async def test_redis_on_its_own_clock_counts_exactly_and_expires_its_keys(
    redis: Redis, algorithm: Algorithm
) -> None:
    prefix = redis.test_prefix  # type: ignore[attr-defined]
    limiter = RedisLimiter(redis, prefix=prefix)
    quota = Quota("default", limit=50, window=30, algorithm=algorithm)
    decisions = await asyncio.gather(*(limiter.hit(quota, "ip:10.0.0.1") for _ in range(500)))
    assert sum(d.allowed for d in decisions) == 50
    keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
    assert len(keys) == 1
    assert 0 < await redis.ttl(keys[0]) <= 2 * quota.window


async def test_redis_down_is_raised_not_guessed() -> None:
    client = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    limiter = RedisLimiter(client)
    with pytest.raises((RedisError, OSError)):
        await limiter.hit(Quota("default", limit=1, window=1), "k")
    await client.aclose(close_connection_pool=True)


async def test_several_quotas_are_checked_in_one_call_and_the_first_refusal_stops(
    make_limiter: MakeLimiter, algorithm: Algorithm
) -> None:
    clock = FakeClock()
    limiter = make_limiter(clock)
    tight = Quota("tight", 2, 60, algorithm)
    loose = Quota("loose", 10, 60, algorithm)
    checks = [(tight, "ann"), (loose, "ann")]
    first = await limiter.hit_all(checks)
    assert [d.allowed for d in first] == [True, True]
    assert [d.remaining for d in first] == [1, 9]
    await limiter.hit_all(checks)
    refused = await limiter.hit_all(checks)
    assert [d.allowed for d in refused] == [False]  # the loose quota was not counted
    assert (await limiter.hit(loose, "ann")).remaining == 7
    assert await limiter.hit_all([]) == []
