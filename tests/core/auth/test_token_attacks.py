"""The JWT attack suite: each forged token is refused by the verifier and answered 401 (never 500).

Cases live in ``attacks.py``; each names the check that must catch it.
"""

from __future__ import annotations

import httpx
import pytest

from fountainai.core.auth import InvalidToken, TokenVerifier
from tests.core.auth.attacks import ATTACKS, Scene
from tests.core.auth.helpers import FakeKms, SigningKey

INVALID_TOKEN_CHALLENGE = 'Bearer realm="fountainai", error="invalid_token"'


@pytest.fixture
def scene(key: SigningKey, retired_key: SigningKey, fake_kms: FakeKms) -> Scene:
    return Scene(key=key, retired=retired_key, attacker=SigningKey("intruder"), server=fake_kms.url)


def assert_generic_401(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == INVALID_TOKEN_CHALLENGE
    body = response.json()
    assert body["type"] == "https://fountain.coach/problems/unauthorized"
    assert body["detail"] == "The credentials could not be verified."


@pytest.mark.parametrize("name", sorted(ATTACKS))
async def test_forged_token_is_refused_everywhere(
    name: str,
    scene: Scene,
    verifier: TokenVerifier,
    client: httpx.AsyncClient,
    fake_kms: FakeKms,
) -> None:
    build, reason = ATTACKS[name]
    token = build(scene)
    with pytest.raises(InvalidToken, match=reason):
        await verifier.verify(token)
    response = await client.get("/api/v1/read", headers={"Authorization": f"Bearer {token}"})
    assert_generic_401(response)
    assert not fake_kms.hits, "a token made the service fetch something"


async def test_size_is_checked_before_anything_is_decoded(verifier: TokenVerifier) -> None:
    # Garbage everywhere, and an alphabet base64 would choke on: only the size check can answer.
    with pytest.raises(InvalidToken, match="size limit of 8192"):
        await verifier.verify("\u00ff%." * 3_000)
    with pytest.raises(InvalidToken, match="three non-empty"):
        await verifier.verify("%" * 8192)


async def test_the_reason_is_logged_never_sent(
    client: httpx.AsyncClient, scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    details = set()
    for name in ("alg-none-empty-signature", "expired", "revoked-jti", "unknown-kid"):
        build, _ = ATTACKS[name]
        response = await client.get(
            "/api/v1/read", headers={"Authorization": f"Bearer {build(scene)}"}
        )
        details.add(response.text.replace(response.headers["x-request-id"], ""))
    assert len(details) == 1, "answers must not differ by the reason"
    reasons = [
        r.msg["reason"]
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg.get("event") == "authentication_rejected"
    ]
    assert any("revoked" in reason for reason in reasons)
