"""JWK helpers and ``JwksKeySource`` against a real local server: lazy, cached, sparing, sticky."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from fountainai.core.auth import (
    AuthUnavailable,
    JwksKeySource,
    StaticKeySource,
    public_jwk,
    public_key_from_jwk,
)
from fountainai.core.http import ServiceClient
from tests.core.auth.helpers import FakeKms, ManualClock, SigningKey, b64, jwks

JWKS = "/.well-known/jwks.json"


def good_jwk(**changes: Any) -> dict[str, Any]:
    jwk: dict[str, Any] = SigningKey("k1").jwk
    jwk.update(changes)
    return jwk


def test_public_jwk_round_trips() -> None:
    key = SigningKey("k-1_A")
    jwk = key.jwk
    assert jwk.keys() == {"kty", "crv", "x", "kid", "alg", "use"}
    assert (jwk["kty"], jwk["crv"], jwk["alg"], jwk["use"]) == ("OKP", "Ed25519", "EdDSA", "sig")
    assert public_jwk(public_key_from_jwk(jwk), "k-1_A") == jwk


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "RSA", "n": "sXch", "e": "AQAB", "kid": "k1"},
        {"kty": "oct", "k": "c2VjcmV0", "kid": "k1"},
        {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "kid": "k1"},
        good_jwk(crv="X25519"),
        good_jwk(d=b64(bytes(32))),
        good_jwk(alg="HS256"),
        good_jwk(use="enc"),
        good_jwk(x=b64(bytes(31))),
        good_jwk(x=b64(bytes(32)) + "="),
        good_jwk(x=None),
    ],
    ids=["rsa", "oct", "ec", "x25519", "private", "hs256", "enc", "short", "padded", "no-x"],
)
def test_public_key_from_jwk_refuses_anything_but_ed25519_public(jwk: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the reason varies by case
        public_key_from_jwk(jwk)


def test_public_jwk_refuses_a_bad_kid() -> None:
    with pytest.raises(ValueError, match="kid"):
        public_jwk(SigningKey("k").public, "../etc")


async def test_static_source_skips_unusable_and_ambiguous_entries() -> None:
    good, twice = SigningKey("good"), SigningKey("twice")
    source = StaticKeySource(
        {
            "keys": [
                good.jwk,
                twice.jwk,
                SigningKey("twice").jwk,
                {"kty": "RSA", "kid": "rsa", "n": "x", "e": "AQAB"},
                {**SigningKey("other").jwk, "kid": "bad kid"},
                "not an object",
            ]
        }
    )
    assert await source.public_key("good") is not None
    for kid in ("twice", "rsa", "bad kid"):
        assert await source.public_key(kid) is None


def make_source(client: ServiceClient, clock: ManualClock) -> JwksKeySource:
    return JwksKeySource(
        JWKS, client=client, cache_seconds=300, refetch_interval_seconds=10, clock=clock
    )


async def test_nothing_is_fetched_until_needed_then_once(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    key = SigningKey("k1")
    fake_kms.jwks = jwks(key)
    fake_kms.delay = 0.05
    source = make_source(kms_client, ManualClock())
    assert not fake_kms.hits
    found = await asyncio.gather(*(source.public_key("k1") for _ in range(100)))
    assert {id(public) for public in found} == {id(found[0])}
    assert found[0] is not None
    assert found[0].public_bytes_raw() == key.public.public_bytes_raw()
    assert fake_kms.hits == {JWKS: 1}


async def test_keys_are_refetched_when_the_cache_expires(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    fake_kms.jwks = jwks(SigningKey("k1"))
    clock = ManualClock()
    source = make_source(kms_client, clock)
    first = await source.public_key("k1")
    clock.advance(299)
    assert await source.public_key("k1") is first
    assert fake_kms.hits[JWKS] == 1
    clock.advance(1)
    assert await source.public_key("k1") is first  # same key, same object after a refetch
    assert fake_kms.hits[JWKS] == 2


async def test_unknown_kids_refetch_at_most_once_per_interval(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    fake_kms.jwks = jwks(SigningKey("k1"))
    clock = ManualClock()
    source = make_source(kms_client, clock)
    await source.public_key("k1")
    assert await source.public_key("unknown") is None  # within 10 s of the load: no fetch
    assert fake_kms.hits[JWKS] == 1
    clock.advance(10)
    fake_kms.delay = 0.05
    results = await asyncio.gather(*(source.public_key("unknown") for _ in range(100)))
    assert results == [None] * 100
    assert fake_kms.hits[JWKS] == 2, "100 concurrent unknown kids: exactly one fetch"
    for _ in range(50):
        await source.public_key(f"random-{_}")
    assert fake_kms.hits[JWKS] == 2


async def test_a_rotated_key_is_found_by_the_refetch_its_kid_triggers(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    old, new = SigningKey("2026-01"), SigningKey("2026-02")
    fake_kms.jwks = jwks(old)
    clock = ManualClock()
    source = make_source(kms_client, clock)
    await source.public_key(old.kid)
    fake_kms.jwks = jwks(old, new)
    clock.advance(10)
    fake_kms.delay = 0.05
    found = await asyncio.gather(*(source.public_key(new.kid) for _ in range(100)))
    assert all(key is not None for key in found), "waiters share the fetch in flight"
    assert fake_kms.hits[JWKS] == 2


async def test_a_failed_fetch_keeps_the_last_good_keys(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    fake_kms.jwks = jwks(SigningKey("k1"))
    clock = ManualClock()
    source = make_source(kms_client, clock)
    good = await source.public_key("k1")
    fake_kms.failing = True
    clock.advance(301)
    assert await source.public_key("k1") is good
    assert await source.public_key("k1") is good
    assert fake_kms.hits[JWKS] == 2, "a failure is retried once per refetch interval, not per call"
    fake_kms.jwks = {"keys": "not a list"}
    fake_kms.failing = False
    clock.advance(10)
    assert await source.public_key("k1") is good
    assert fake_kms.hits[JWKS] == 3


async def test_no_keys_ever_loaded_is_unavailable_not_invalid(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    fake_kms.failing = True
    clock = ManualClock()
    source = make_source(kms_client, clock)
    with pytest.raises(AuthUnavailable):
        await source.public_key("k1")
    with pytest.raises(AuthUnavailable):
        await source.public_key("k1")
    assert fake_kms.hits[JWKS] == 1
    fake_kms.failing = False
    fake_kms.jwks = jwks(SigningKey("k1"))
    clock.advance(10)
    assert await source.public_key("k1") is not None


async def test_only_the_configured_url_is_ever_fetched(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    fake_kms.jwks = jwks(SigningKey("k1"))
    clock = ManualClock()
    source = make_source(kms_client, clock)
    for kid in ("k1", "../admin", "http://evil.example/jwks", "x" * 100):
        await source.public_key(kid)
        clock.advance(11)
    assert set(fake_kms.hits) == {JWKS}
