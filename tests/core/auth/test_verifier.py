"""What a good token gives, the edges it may sit on, and the verified-token cache's limits."""

from __future__ import annotations

import asyncio
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fountainai.core.auth import (
    AuthUnavailable,
    InvalidToken,
    KeySource,
    Principal,
    RevocationSnapshot,
    RevocationSource,
    Role,
    StaticKeySource,
    StaticRevocations,
    TokenVerifier,
)
from tests.core.auth.helpers import (
    AUDIENCE,
    ISSUER,
    LEEWAY,
    SigningKey,
    claims,
    forge,
    jwks,
    mint,
)


class MutableKeys:
    """A key source the test edits (the verifier, not this, is under test)."""

    def __init__(self, *keys: SigningKey) -> None:
        self.keys = {key.kid: key.public for key in keys}

    async def public_key(self, kid: str) -> Ed25519PublicKey | None:
        return self.keys.get(kid)


class BrokenKeys:
    async def public_key(self, kid: str) -> Ed25519PublicKey | None:
        raise RuntimeError("disk on fire")


class UnreachableRevocations:
    async def snapshot(self) -> RevocationSnapshot:
        raise AuthUnavailable()


def make_verifier(
    keys: KeySource,
    revocations: RevocationSource | None = None,
    *,
    leeway_seconds: float = LEEWAY,
    verified_cache_size: int = 4096,
) -> TokenVerifier:
    return TokenVerifier(
        keys,
        revocations or StaticRevocations(),
        issuer=ISSUER,
        audience=AUDIENCE,
        leeway_seconds=leeway_seconds,
        verified_cache_size=verified_cache_size,
    )


async def test_a_good_token_maps_every_claim(verifier: TokenVerifier, key: SigningKey) -> None:
    now = int(time.time())
    token = mint(
        key,
        sub="6f1c0a8e-user",
        roles=["writer", "reader"],
        scope="story:read story:write",
        amr=["pwd", "otp"],
        jti="a" * 32,
        iat=now,
        exp=now + 300,
        nbf=now,
        auth_time=now - 5,
        preferred_username="ada",
        unknown_claim={"ignored": True},
    )
    principal = await verifier.verify(token)
    assert principal == Principal(
        subject="6f1c0a8e-user",
        kind="user",
        roles=frozenset({Role.WRITER, Role.READER}),
        scopes=frozenset({"story:read", "story:write"}),
        amr=("pwd", "otp"),
        token_id="a" * 32,
        issued_at=now,
        expires_at=now + 300,
        auth_time=now - 5,
        username="ada",
    )
    assert principal.actor == "ada"


async def test_actor_falls_back_to_the_subject(verifier: TokenVerifier, key: SigningKey) -> None:
    principal = await verifier.verify(mint(key, sub="user-7"))
    assert principal.username is None
    assert principal.actor == "user-7"


async def test_clock_skew_within_leeway_is_accepted(
    verifier: TokenVerifier, key: SigningKey
) -> None:
    now = int(time.time())
    await verifier.verify(mint(key, iat=now - 400, exp=now - LEEWAY + 5))
    await verifier.verify(mint(key, iat=now + LEEWAY - 5, nbf=now + LEEWAY - 5))


async def test_header_member_order_does_not_matter(
    verifier: TokenVerifier, key: SigningKey
) -> None:
    head = {"typ": "at+jwt", "kid": key.kid, "alg": "EdDSA"}
    principal = await verifier.verify(forge(head, claims(sub="u-1"), signer=key.sign))
    assert principal.subject == "u-1"


async def test_a_user_may_hold_no_role(verifier: TokenVerifier, key: SigningKey) -> None:
    principal = await verifier.verify(mint(key, roles=[], scope=""))
    assert principal.roles == frozenset()
    assert not principal.has_role(Role.READER)


async def test_a_repeated_token_skips_the_signature_but_not_revocation(
    verifier: TokenVerifier, key: SigningKey, revocations: StaticRevocations
) -> None:
    token = mint(key, jti="soon-revoked")
    first = await verifier.verify(token)
    assert await verifier.verify(token) is first  # remembered
    revocations.current = RevocationSnapshot(token_ids=frozenset({"soon-revoked"}))
    with pytest.raises(InvalidToken, match="revoked"):
        await verifier.verify(token)


async def test_a_remembered_token_dies_with_its_key(key: SigningKey) -> None:
    keys = MutableKeys(key)
    verifier = make_verifier(keys)
    token = mint(key)
    await verifier.verify(token)
    del keys.keys[key.kid]
    with pytest.raises(InvalidToken, match="no key has this kid"):
        await verifier.verify(token)


async def test_a_remembered_token_is_checked_against_a_replaced_key(key: SigningKey) -> None:
    keys = MutableKeys(key)
    verifier = make_verifier(keys)
    token = mint(key)
    await verifier.verify(token)
    keys.keys[key.kid] = SigningKey(key.kid).public  # same kid, another key
    with pytest.raises(InvalidToken, match="Signature verification failed"):
        await verifier.verify(token)


async def test_a_remembered_token_still_expires(key: SigningKey) -> None:
    verifier = make_verifier(StaticKeySource(jwks(key)), leeway_seconds=0)
    expires = int(time.time()) + 1
    token = mint(key, exp=expires)
    await verifier.verify(token)
    await asyncio.sleep(expires - time.time() + 0.05)
    with pytest.raises(InvalidToken, match="expired"):
        await verifier.verify(token)


async def test_the_verified_cache_is_bounded_and_can_be_off(key: SigningKey) -> None:
    source = StaticKeySource(jwks(key))
    bounded = make_verifier(source, verified_cache_size=2)
    tokens = [mint(key) for _ in range(3)]
    first = [await bounded.verify(token) for token in tokens]
    assert await bounded.verify(tokens[2]) is first[2]
    assert await bounded.verify(tokens[0]) is not first[0]  # evicted, verified afresh
    off = make_verifier(source, verified_cache_size=0)
    assert await off.verify(tokens[0]) is not await off.verify(tokens[0])


async def test_a_broken_key_source_is_not_blamed_on_the_token(key: SigningKey) -> None:
    """An outage must not answer 401 (clients would drop good tokens): it propagates."""
    with pytest.raises(RuntimeError, match="disk on fire"):
        await make_verifier(BrokenKeys()).verify(mint(key))


async def test_a_token_that_is_not_a_string_is_invalid(key: SigningKey) -> None:
    with pytest.raises(InvalidToken, match="not a string"):
        await make_verifier(StaticKeySource(jwks(key))).verify(mint(key).encode())  # type: ignore[arg-type]


async def test_unreachable_revocations_fail_closed_as_unavailable(key: SigningKey) -> None:
    verifier = make_verifier(StaticKeySource(jwks(key)), UnreachableRevocations())
    with pytest.raises(AuthUnavailable) as raised:
        await verifier.verify(mint(key))
    assert raised.value.status == 503
    assert raised.value.headers["Retry-After"] == "5"


async def test_iat_equal_to_subject_not_before_is_alive(key: SigningKey) -> None:
    now = int(time.time())
    snapshot = RevocationSnapshot(subjects_not_before={"u-9": now})
    verifier = make_verifier(StaticKeySource(jwks(key)), StaticRevocations(snapshot))
    assert (await verifier.verify(mint(key, sub="u-9", iat=now))).subject == "u-9"
    with pytest.raises(InvalidToken, match="revoked"):
        await verifier.verify(mint(key, sub="u-9", iat=now - 1))
