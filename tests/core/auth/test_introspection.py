"""API keys through a real local introspection server: caching (yes and no), TTL, failure."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fountainai.core.auth import (
    Authenticator,
    AuthUnavailable,
    IntrospectionRequest,
    Principal,
    RemoteApiKeyIntrospector,
    Role,
    TokenVerifier,
)
from fountainai.core.http import ServiceClient
from tests.core.auth.helpers import FakeKms, ManualClock, active_key, api_key
from tests.core.auth.probe_app import served

INTROSPECT = "/api/v1/keys/introspect"


def make_introspector(client: ServiceClient, clock: ManualClock) -> RemoteApiKeyIntrospector:
    return RemoteApiKeyIntrospector(INTROSPECT, client=client, cache_seconds=5, clock=clock)


def test_request_is_camel_case_and_bounded() -> None:
    assert IntrospectionRequest(api_key="fai_x").model_dump(by_alias=True) == {"apiKey": "fai_x"}
    with pytest.raises(ValueError, match="200"):
        IntrospectionRequest(api_key="x" * 201)


async def test_an_active_key_is_a_service_principal_cached_briefly(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    key = api_key()
    fake_kms.api_keys[key] = active_key("indexer", ["story:read", "story:write", "bogus"])
    clock = ManualClock()
    introspector = make_introspector(kms_client, clock)
    principal = await introspector.introspect(key)
    assert principal == Principal(
        subject="service:indexer",
        kind="service",
        roles=frozenset({Role.READER, Role.WRITER}),
        scopes=frozenset({"story:read", "story:write"}),
        token_id="abcdefgh2345",
    )
    assert fake_kms.introspected == [{"apiKey": key}]
    clock.advance(4.9)
    assert await introspector.introspect(key) == principal
    assert fake_kms.hits[INTROSPECT] == 1
    clock.advance(0.1)
    await introspector.introspect(key)
    assert fake_kms.hits[INTROSPECT] == 2


async def test_no_is_cached_too(fake_kms: FakeKms, kms_client: ServiceClient) -> None:
    clock = ManualClock()
    introspector = make_introspector(kms_client, clock)
    unknown = api_key()
    for _ in range(5):
        assert await introspector.introspect(unknown) is None
    assert fake_kms.hits[INTROSPECT] == 1
    clock.advance(5)
    assert await introspector.introspect(unknown) is None
    assert fake_kms.hits[INTROSPECT] == 2


@pytest.mark.parametrize(
    "malformed",
    ["", "fai_", "fai_short_secret", "sk_live_abc", "fai_ABCDEFGH2345_" + "a" * 43, "x" * 5000],
)
async def test_malformed_keys_are_refused_without_a_call(
    fake_kms: FakeKms, kms_client: ServiceClient, malformed: str
) -> None:
    assert await make_introspector(kms_client, ManualClock()).introspect(malformed) is None
    assert not fake_kms.hits


@pytest.mark.parametrize(
    "answer",
    [
        {"active": False},
        {**active_key(), "serviceName": None},
        {**active_key(), "scopes": None},
        {**active_key(), "expiresAt": (datetime.now(UTC) - timedelta(seconds=1)).isoformat()},
    ],
    ids=["inactive", "no-service", "no-scopes", "expired"],
)
async def test_anything_but_a_live_complete_answer_is_no(
    fake_kms: FakeKms, kms_client: ServiceClient, answer: dict[str, object]
) -> None:
    key = api_key()
    fake_kms.api_keys[key] = answer
    assert await make_introspector(kms_client, ManualClock()).introspect(key) is None


async def test_a_key_expiring_soon_is_cached_only_until_then(
    fake_kms: FakeKms, kms_client: ServiceClient
) -> None:
    key = api_key()
    expires = datetime.now(UTC) + timedelta(seconds=60)
    fake_kms.api_keys[key] = {**active_key(), "expiresAt": expires.isoformat()}
    principal = await make_introspector(kms_client, ManualClock()).introspect(key)
    assert principal is not None
    assert principal.expires_at == int(expires.timestamp())


async def test_an_unreachable_kms_is_503_and_not_cached(
    fake_kms: FakeKms, kms_client: ServiceClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key = api_key()
    fake_kms.api_keys[key] = active_key()
    introspector = make_introspector(kms_client, ManualClock())
    fake_kms.failing = True
    with pytest.raises(AuthUnavailable):
        await introspector.introspect(key)
    fake_kms.failing = False
    assert await introspector.introspect(key) is not None
    assert key not in caplog.text
    assert key.split("_", 2)[2] not in caplog.text


async def test_api_keys_through_the_app(
    fake_kms: FakeKms, kms_client: ServiceClient, verifier: TokenVerifier, tmp_path: Path
) -> None:
    reader, admin, unknown = api_key(), api_key(), api_key()
    fake_kms.api_keys[reader] = active_key("indexer", ["story:read"])
    fake_kms.api_keys[admin] = active_key("ops", ["admin"])
    authenticator = Authenticator(verifier, make_introspector(kms_client, ManualClock()))
    async with served(tmp_path, authenticator) as client:
        by_header = await client.get("/api/v1/read", headers={"X-API-Key": reader})
        by_bearer = await client.get("/api/v1/read", headers={"Authorization": f"Bearer {reader}"})
        too_weak = await client.get("/api/v1/write", headers={"X-API-Key": reader})
        as_admin = await client.get("/api/v1/admin", headers={"X-API-Key": admin})
        refused = await client.get("/api/v1/read", headers={"X-API-Key": unknown})
        fake_kms.failing = True
        down = await client.get("/api/v1/read", headers={"X-API-Key": api_key()})
    assert by_header.status_code == by_bearer.status_code == 200
    assert by_header.json()["actor"] == "service:indexer"
    assert by_header.json()["kind"] == "service"
    assert too_weak.status_code == 403
    assert as_admin.status_code == 200
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].endswith('error="invalid_token"')
    assert down.status_code == 503
    assert fake_kms.hits[INTROSPECT] == 4, "the reader's key was asked about once"


async def test_api_keys_refused_where_no_introspector(
    verifier: TokenVerifier, tmp_path: Path
) -> None:
    async with served(tmp_path, Authenticator(verifier, None)) as http:
        response = await http.get("/api/v1/read", headers={"X-API-Key": api_key()})
    assert response.status_code == 401
