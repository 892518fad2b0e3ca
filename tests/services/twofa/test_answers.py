"""What every answer shares: no caching, problems for errors, and never a one-time code."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.services.twofa.conftest import ResponseRecorder
from tests.services.twofa.support import (
    API,
    MovableClock,
    User,
    enable_totp,
    outbox_entries,
    service_headers,
    totp_now,
)
from tests.support.tokens import LocalIssuer


async def test_every_answer_says_no_store(
    client: httpx.AsyncClient, alice: User, clock: MovableClock
) -> None:
    secret, _codes = await enable_totp(client, alice, clock)
    answers = [
        await client.get(f"{API}/totp", headers=alice.headers),
        await client.get(f"{API}/totp"),
        await client.post(f"{API}/auth/verify", json={"code": "x"}, headers=alice.headers),
        await client.post(
            f"{API}/auth/verify", json={"code": totp_now(secret, clock)}, headers=alice.headers
        ),
        await client.get(f"{API}/no-such-path"),
        await client.get("/health/live"),
    ]
    for answer in answers:
        assert answer.headers["cache-control"] == "no-store", answer.request.url
        assert answer.headers["pragma"] == "no-cache"


async def test_no_operation_ever_answers_a_delivered_code(
    client: httpx.AsyncClient,
    alice: User,
    admin: User,
    issuer: LocalIssuer,
    clock: MovableClock,
    outbox: Path,
    recorder: ResponseRecorder,
) -> None:
    """Every operation, in success and failure, after codes went out (the fixture checks)."""
    secret, codes = await enable_totp(client, alice, clock)
    kms = service_headers(issuer)
    target = {"username": "alice", "userId": alice.subject}
    for headers, body in [
        (alice.headers, {"username": "alice"}),
        (admin.headers, {"username": "alice"}),
        (kms, target),
    ]:
        response = await client.post(f"{API}/auth/generate", json=body, headers=headers)
        assert response.status_code == 202
    delivered = [entry["code"] for entry in outbox_entries(outbox)]
    assert len(delivered) == 3
    last = delivered[-1]
    calls = [
        ("GET", "/totp", None),
        ("GET", "/totp/qr", None),
        ("POST", "/auth/verify", {"code": delivered[0]}),  # superseded: rejected
        ("POST", "/auth/verify", {"code": last, "username": "bob"}),  # someone else: 403
        ("POST", "/auth/verify", {"code": f"{last} "}),  # malformed: 422
        ("POST", "/auth/step-up", {"code": last}),
        ("POST", "/auth/verify", {"code": last}),  # replay
        ("POST", "/recovery-codes", {"code": totp_now(secret, clock)}),
        ("DELETE", "/totp", {"code": codes[0]}),
    ]
    for method, path, payload in calls:
        await client.request(method, f"{API}{path}", json=payload, headers=alice.headers)
    assert len(recorder.responses) > len(calls)
    assert all(
        re.search(rf"(?<!\d){re.escape(code)}(?!\d)", "".join(recorder.responses)) is None
        for code in delivered
    )
