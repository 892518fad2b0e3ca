"""Revocation: the snapshot's rules, the feed's wire shape, and the remote list's freshness."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from fountainai.core.auth import (
    Authenticator,
    AuthUnavailable,
    RemoteRevocationList,
    RevocationFeed,
    RevocationSnapshot,
    StaticKeySource,
    TokenVerifier,
)
from fountainai.core.http import ServiceClient
from tests.core.auth.helpers import (
    AUDIENCE,
    ISSUER,
    FakeKms,
    ManualClock,
    SigningKey,
    jwks,
    mint,
)
from tests.core.auth.probe_app import served

FEED = "/api/v1/revocations"


def test_snapshot_rules() -> None:
    snapshot = RevocationSnapshot(
        token_ids=frozenset({"j-dead"}),
        key_ids=frozenset({"k-dead"}),
        subjects_not_before={"u-reset": 1_000},
    )

    def revokes(kid: str = "k1", jti: str = "j1", subject: str = "u1", iat: int = 500) -> bool:
        return snapshot.revokes(kid=kid, jti=jti, subject=subject, issued_at=iat)

    assert not revokes()
    assert revokes(kid="k-dead")
    assert revokes(jti="j-dead")
    assert revokes(subject="u-reset", iat=999)
    assert not revokes(subject="u-reset", iat=1_000)
    assert not RevocationSnapshot().revokes(kid="k", jti="j", subject="s", issued_at=0)


def test_feed_is_camel_case_on_the_wire() -> None:
    wire = {"tokenIds": ["j"], "keyIds": ["k"], "subjectsNotBefore": {"u": 5}, "generatedAt": 9}
    feed = RevocationFeed.model_validate(wire)
    assert feed.subjects_not_before == {"u": 5}
    assert feed.model_dump(by_alias=True) == wire
    snapshot = RevocationSnapshot.from_feed(feed)
    assert snapshot.revokes(kid="k", jti="x", subject="x", issued_at=0)


def make_list(client: ServiceClient, clock: ManualClock) -> RemoteRevocationList:
    return RemoteRevocationList(
        FEED, client=client, refresh_seconds=5, max_stale_seconds=60, clock=clock
    )


async def test_fetched_lazily_once_for_a_crowd_then_per_refresh(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    clock = ManualClock()
    revocations = make_list(kms_client, clock)
    assert not fake_kms.hits
    fake_kms.delay = 0.05
    snapshots = await asyncio.gather(*(revocations.snapshot() for _ in range(100)))
    assert len({id(snapshot) for snapshot in snapshots}) == 1
    assert fake_kms.hits == {FEED: 1}
    clock.advance(4.9)
    await revocations.snapshot()
    assert fake_kms.hits[FEED] == 1
    fake_kms.feed["tokenIds"] = ["j-new"]
    clock.advance(0.1)
    await asyncio.gather(*(revocations.snapshot() for _ in range(100)))
    assert fake_kms.hits[FEED] == 2
    assert (await revocations.snapshot()).token_ids == {"j-new"}


async def test_a_failed_fetch_keeps_the_snapshot_until_too_stale(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    fake_kms.feed["keyIds"] = ["k-dead"]
    clock = ManualClock()
    revocations = make_list(kms_client, clock)
    good = await revocations.snapshot()
    fake_kms.failing = True
    clock.advance(30)
    assert await revocations.snapshot() is good
    assert await revocations.snapshot() is good
    assert fake_kms.hits[FEED] == 2, "one attempt per refresh interval, failed or not"
    clock.advance(30)
    assert await revocations.snapshot() is good  # exactly max_stale: still accepted
    clock.advance(1)
    with pytest.raises(AuthUnavailable):
        await revocations.snapshot()
    fake_kms.failing = False
    clock.advance(5)
    assert (await revocations.snapshot()).key_ids == {"k-dead"}


async def test_a_malformed_feed_is_a_failed_fetch(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    fake_kms.feed = {"tokenIds": "everything"}
    with pytest.raises(AuthUnavailable):
        await make_list(kms_client, ManualClock()).snapshot()


async def test_no_feed_ever_is_unavailable(fake_kms: FakeKms, kms_client: ServiceClient) -> None:
    fake_kms.failing = True
    clock = ManualClock()
    revocations = make_list(kms_client, clock)
    for _ in range(3):
        with pytest.raises(AuthUnavailable):
            await revocations.snapshot()
    assert fake_kms.hits[FEED] == 1


async def test_a_stale_feed_answers_503_not_401_or_500(
    fake_kms: FakeKms, kms_client: ServiceClient, tmp_path: Path
) -> None:
    key = SigningKey("k1")
    clock = ManualClock()
    verifier = TokenVerifier(
        StaticKeySource(jwks(key)),
        make_list(kms_client, clock),
        issuer=ISSUER,
        audience=AUDIENCE,
        leeway_seconds=30,
    )
    bearer = {"Authorization": f"Bearer {mint(key)}"}
    async with served(tmp_path, Authenticator(verifier, None)) as client:
        assert (await client.get("/api/v1/read", headers=bearer)).status_code == 200
        fake_kms.failing = True
        clock.advance(61)
        response = await client.get("/api/v1/read", headers=bearer)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json()["type"] == "https://fountain.coach/problems/auth-unavailable"
