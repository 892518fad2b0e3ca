"""The response stores' one contract, for the in-process store and the real Redis at
127.0.0.1:6379: a miss then a hit; expiry; a write stales its path and ancestors for every
identity but not siblings; identities, query selections and HEAD/GET keyed as the policy says;
oversize answers not stored; an answer fetched before a write is not stored after it. Then each
backend's own promises: bounded memory in process, and Redis failures raised."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from fountainai.gateway.cache import (
    CachedResponse,
    InProcessCache,
    RedisCache,
    ResponseCache,
    cache_key,
)
from fountainai.gateway.routes import CacheRule

RULE = CacheRule(ttl=60)
SCRIPTS = "/scripts/api/v1/scripts"


class FakeClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class Backend:
    """A store, and how to let time pass for it: the fake clock in process, real time in
    Redis (whose server expires keys)."""

    cache: InProcessCache | RedisCache
    pass_time: Callable[[float], Awaitable[None]]


def in_process(max_entry_bytes: int = 1024 * 1024) -> Backend:
    clock = FakeClock()

    async def advance(seconds: float) -> None:
        clock.now += seconds

    return Backend(InProcessCache(max_entry_bytes=max_entry_bytes, clock=clock), advance)


@pytest.fixture(params=["in-process", "redis"])
def make_backend(request: pytest.FixtureRequest) -> Callable[..., Backend]:
    if request.param == "in-process":
        return in_process
    redis: Redis = request.getfixturevalue("redis")
    prefix = f"{redis.test_prefix}:cache"  # type: ignore[attr-defined]

    def make(max_entry_bytes: int = 1024 * 1024) -> Backend:
        cache = RedisCache(redis, prefix=prefix, max_entry_bytes=max_entry_bytes)
        return Backend(cache, asyncio.sleep)

    return make


@pytest.fixture
def backend(make_backend: Callable[..., Backend]) -> Backend:
    return make_backend()


def answer(body: bytes = b'{"items": []}', ttl: float = 30.0) -> CachedResponse:
    headers = [(b"content-type", b"application/json"), (b"link", b"<a>"), (b"link", b"<b>")]
    return CachedResponse(200, headers, body, stored_at=1_751_371_200.0, ttl=ttl)


def key_for(path: str, identity: str = "user:1", method: str = "GET", query: bytes = b"") -> str:
    return cache_key(identity, method, path, query, [(b"accept", b"application/json")], RULE)


async def test_a_miss_then_a_hit(backend: Backend) -> None:
    cache: ResponseCache = backend.cache
    key = key_for(SCRIPTS)
    assert await cache.get(SCRIPTS, key) is None
    assert await cache.put(SCRIPTS, key, answer()) is True
    assert await cache.get(SCRIPTS, key) == answer()
    replacement = answer(b'{"items": [1]}')
    assert await cache.put(SCRIPTS, key, replacement) is True
    assert await cache.get(SCRIPTS, key) == replacement


async def test_an_entry_expires_after_its_ttl(backend: Backend) -> None:
    key = key_for(SCRIPTS)
    assert await backend.cache.put(SCRIPTS, key, answer(ttl=0.2))
    await backend.pass_time(0.6)
    assert await backend.cache.get(SCRIPTS, key) is None


async def test_in_process_entries_live_exactly_their_ttl() -> None:
    clock = FakeClock()
    cache = InProcessCache(clock=clock)
    key = key_for(SCRIPTS)
    await cache.put(SCRIPTS, key, answer(ttl=10))
    clock.now += 9.9
    assert await cache.get(SCRIPTS, key) == answer(ttl=10)
    clock.now += 0.1
    assert await cache.get(SCRIPTS, key) is None
    assert len(cache) == 0  # dropped when met
    assert cache.total_bytes == 0


async def test_a_write_stales_its_path_and_ancestors_for_everyone_but_not_siblings(
    backend: Backend,
) -> None:
    cache = backend.cache
    paths = [f"{SCRIPTS}/5", SCRIPTS, f"{SCRIPTS}/6", "/scripts/api/v1/users", "/billing/api/v1"]
    keys = {(p, who): key_for(p, who) for p in paths for who in ("user:1", "user:2", "anonymous")}
    for (path, _), key in keys.items():
        assert await cache.put(path, key, answer(path.encode()))
    await cache.invalidate(f"{SCRIPTS}/5")
    for (path, who), key in keys.items():
        kept = await cache.get(path, key)
        if path in (f"{SCRIPTS}/5", SCRIPTS):
            assert kept is None, (path, who)
        else:
            assert kept == answer(path.encode()), (path, who)
    assert await cache.put(SCRIPTS, keys[SCRIPTS, "user:1"], answer(b"new"))
    assert await cache.get(SCRIPTS, keys[SCRIPTS, "user:1"]) == answer(b"new")


async def test_a_write_under_a_trailing_slash_stales_the_same_resource(backend: Backend) -> None:
    key = key_for(f"{SCRIPTS}/")
    assert await backend.cache.put(f"{SCRIPTS}/", key, answer())
    await backend.cache.invalidate(f"{SCRIPTS}/9")
    assert await backend.cache.get(f"{SCRIPTS}/", key) is None


async def test_identities_never_share_an_entry(backend: Backend) -> None:
    cache = backend.cache
    await cache.put(SCRIPTS, key_for(SCRIPTS, "user:alice"), answer(b"alice's scripts"))
    assert await cache.get(SCRIPTS, key_for(SCRIPTS, "user:bob")) is None
    assert await cache.get(SCRIPTS, key_for(SCRIPTS, "anonymous")) is None
    assert await cache.get(SCRIPTS, key_for(SCRIPTS, "key:alice")) is None
    await cache.put(SCRIPTS, key_for(SCRIPTS, "user:bob"), answer(b"bob's scripts"))
    alice = await cache.get(SCRIPTS, key_for(SCRIPTS, "user:alice"))
    assert alice is not None
    assert alice.body == b"alice's scripts"


async def test_the_query_selected_by_the_route_decides_the_entry(backend: Backend) -> None:
    cache = backend.cache
    paged = CacheRule(ttl=60, vary_query=("page",))

    def key(query: bytes, rule: CacheRule = RULE) -> str:
        return cache_key("user:1", "GET", SCRIPTS, query, [], rule)

    await cache.put(SCRIPTS, key(b"a=1&b=2"), answer(b"ab"))
    assert await cache.get(SCRIPTS, key(b"b=2&a=1")) == answer(b"ab")
    assert await cache.get(SCRIPTS, key(b"a=1&b=3")) is None
    await cache.put(SCRIPTS, key(b"page=2&utm=mail", paged), answer(b"page 2"))
    assert await cache.get(SCRIPTS, key(b"utm=web&page=2", paged)) == answer(b"page 2")
    assert await cache.get(SCRIPTS, key(b"page=3", paged)) is None


async def test_head_is_served_from_a_cached_get(backend: Backend) -> None:
    await backend.cache.put(SCRIPTS, key_for(SCRIPTS, method="GET"), answer())
    assert await backend.cache.get(SCRIPTS, key_for(SCRIPTS, method="HEAD")) == answer()


async def test_oversize_or_expired_answers_are_not_stored(
    make_backend: Callable[..., Backend],
) -> None:
    cache = make_backend(max_entry_bytes=2048).cache
    fits = answer(b"x" * (2048 - answer(b"").size))
    assert fits.size == 2048
    assert await cache.put(SCRIPTS, "fits", fits) is True
    assert await cache.get(SCRIPTS, "fits") == fits
    assert await cache.put(SCRIPTS, "big", answer(b"x" * 2049)) is False
    assert await cache.get(SCRIPTS, "big") is None
    assert await cache.put(SCRIPTS, "stale", answer(ttl=0)) is False
    assert await cache.get(SCRIPTS, "stale") is None


async def test_an_answer_fetched_before_a_write_is_not_stored_after_it(backend: Backend) -> None:
    cache = backend.cache
    key = key_for(f"{SCRIPTS}/5")
    missed = await cache.lookup(f"{SCRIPTS}/5", key)
    assert missed.response is None
    await cache.invalidate(f"{SCRIPTS}/5/scenes")  # a write below makes the path stale too
    assert await cache.put(f"{SCRIPTS}/5", key, answer(b"old"), stamp=missed.stamp) is False
    assert await cache.get(f"{SCRIPTS}/5", key) is None
    fresh = await cache.lookup(f"{SCRIPTS}/5", key)
    await cache.invalidate(f"{SCRIPTS}/6")  # a sibling's write changes nothing here
    assert await cache.put(f"{SCRIPTS}/5", key, answer(b"new"), stamp=fresh.stamp) is True
    hit = await cache.lookup(f"{SCRIPTS}/5", key)
    assert hit.response == answer(b"new")


async def test_in_process_memory_stays_bounded_under_many_puts() -> None:
    cache = InProcessCache(max_bytes=200_000, max_entry_bytes=10_000, clock=FakeClock())
    for number in range(5_000):
        path = f"{SCRIPTS}/{number}"
        body = bytes([number % 251]) * (number % 7_000)
        assert await cache.put(path, key_for(path), answer(body))
        assert cache.total_bytes <= cache.max_bytes
    assert 0 < len(cache) < 5_000
    last = f"{SCRIPTS}/4999"
    assert await cache.get(last, key_for(last)) is not None  # the most recent is kept
    assert await cache.get(f"{SCRIPTS}/0", key_for(f"{SCRIPTS}/0")) is None  # the oldest is not
    for number in range(5_000):
        await cache.invalidate(f"{SCRIPTS}/{number}")
    assert len(cache) == 0
    assert cache.total_bytes == 0


async def test_in_process_refuses_stamps_older_than_its_memory_of_writes() -> None:
    cache = InProcessCache(max_remembered_writes=10, clock=FakeClock())
    missed = await cache.lookup(SCRIPTS, "k")
    for number in range(20):
        await cache.invalidate(f"/billing/api/v1/{number}")  # writes elsewhere, but many
    assert await cache.put(SCRIPTS, "k", answer(), stamp=missed.stamp) is False
    fresh = await cache.lookup(SCRIPTS, "k")
    assert await cache.put(SCRIPTS, "k", answer(), stamp=fresh.stamp) is True


async def test_redis_entries_carry_their_ttl_and_generations_outlive_them(redis: Redis) -> None:
    cache = RedisCache(redis, prefix=f"{redis.test_prefix}:cache")  # type: ignore[attr-defined]
    key = key_for(SCRIPTS)
    await cache.put(SCRIPTS, key, answer(ttl=30))
    assert 25_000 < await redis.pttl(cache.entry_key(key)) <= 30_000
    await cache.invalidate(SCRIPTS)
    generation_ttl = await redis.pttl(cache.generation_key(SCRIPTS))
    assert 86_400_000 < generation_ttl <= 2 * 86_400_000
    assert await redis.get(cache.generation_key("/scripts")) == b"1"
    await cache.put(SCRIPTS, key, answer(ttl=10**9))  # cut to a day
    assert await redis.pttl(cache.entry_key(key)) <= 86_400_000


async def test_redis_treats_an_entry_it_cannot_read_as_a_miss(redis: Redis) -> None:
    cache = RedisCache(redis, prefix=f"{redis.test_prefix}:cache")  # type: ignore[attr-defined]
    key = key_for(SCRIPTS)
    await redis.set(cache.entry_key(key), b"0\n\x09not a cached response")
    assert await cache.get(SCRIPTS, key) is None
    assert await cache.put(SCRIPTS, key, answer())
    assert await cache.get(SCRIPTS, key) == answer()


async def test_redis_refuses_a_client_that_decodes_responses() -> None:
    client = Redis(decode_responses=True)
    with pytest.raises(ValueError, match="decode_responses"):
        RedisCache(client)
    await client.aclose()


async def test_redis_down_raises_for_every_operation() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    client = Redis(host="127.0.0.1", port=closed_port, retry=Retry(NoBackoff(), 0))
    cache = RedisCache(client)
    try:
        with pytest.raises(RedisError):
            await cache.get(SCRIPTS, "k")
        with pytest.raises(RedisError):
            await cache.put(SCRIPTS, "k", answer())
        with pytest.raises(RedisError):
            await cache.invalidate(SCRIPTS)
    finally:
        await client.aclose()
