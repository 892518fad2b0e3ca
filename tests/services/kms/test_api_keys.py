"""API keys: create, list, rotate with a grace period, revoke, re-issue, last-used tracking."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta

import httpx
from fastapi import FastAPI

from fountainai.core.db import utcnow
from fountainai.services.kms.config import KmsSettings
from tests.services.kms.api_key_factories import (
    KEYS,
    create_key,
    expire_key,
    introspect,
    kms_client,
    rotate_key,
    secret_of,
    set_key_times,
    stored_key,
)
from tests.services.kms.conftest import STEPPED_UP, bearer, mint_token

KEY_PATTERN = re.compile(r"fai_([a-z0-9]{12})_[A-Za-z0-9_-]{43}")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_a_new_key_is_shown_once_and_listings_never_show_it(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        KEYS,
        json={"serviceName": "gateway", "scopes": ["story:write", "story:read", "story:read"]},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    created = response.json()
    match = KEY_PATTERN.fullmatch(created["apiKey"])
    assert match is not None
    assert created["prefix"] == match.group(1)
    assert created["serviceName"] == "gateway"
    assert created["scopes"] == ["story:read", "story:write"]
    lifetime = at(created["expiresAt"]) - at(created["createdAt"])
    assert lifetime == timedelta(days=90)

    for path in (KEYS, f"{KEYS}/gateway"):
        listing = await client.get(path, headers=admin_headers)
        assert listing.status_code == 200, listing.text
        assert created["apiKey"] not in listing.text
        assert secret_of(created["apiKey"]) not in listing.text
        [item] = listing.json()["items"]
        assert set(item) == {
            "id", "serviceName", "prefix", "scopes", "status", "createdAt", "createdBy",
            "expiresAt", "lastUsedAt", "rotatedAt", "revokedAt",
        }  # fmt: skip
        assert item["prefix"] == created["prefix"]
        assert item["status"] == "active"
        assert item["createdBy"] == "root"


async def test_introspection_describes_a_live_key(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await create_key(client, admin_headers, "indexer", ["admin"], expiresInDays=7)
    response = await client.post(f"{KEYS}/introspect", json={"apiKey": created["apiKey"]})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "active": True,
        "serviceName": "indexer",
        "scopes": ["admin"],
        "expiresAt": created["expiresAt"],
        "keyPrefix": created["prefix"],
    }
    assert at(created["expiresAt"]) - at(created["createdAt"]) == timedelta(days=7)


async def test_a_second_key_for_an_active_service_is_a_conflict(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await create_key(client, admin_headers, "gateway")
    response = await client.post(
        KEYS, json={"serviceName": "gateway", "scopes": ["admin"]}, headers=admin_headers
    )
    assert response.status_code == 409
    assert "rotate" in response.json()["detail"]
    listing = await client.get(f"{KEYS}/gateway", headers=admin_headers)
    assert listing.json()["totalCount"] == 1


async def test_rotation_keeps_the_old_key_for_the_grace_period_then_not(
    app: FastAPI, client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    old = await create_key(client, stepped_up_headers, "gateway", ["story:read", "story:write"])
    response = await client.post(f"{KEYS}/gateway/rotate", headers=stepped_up_headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    new = response.json()
    assert new["apiKey"] != old["apiKey"]
    assert new["scopes"] == old["scopes"]
    assert new["previousPrefix"] == old["prefix"]
    grace = at(new["previousExpiresAt"]) - utcnow()
    assert timedelta(hours=23, minutes=59) < grace <= timedelta(days=1)

    assert (await introspect(client, old["apiKey"]))["active"] is True
    assert (await introspect(client, new["apiKey"]))["active"] is True
    states = {
        item["prefix"]: item
        for item in (await client.get(f"{KEYS}/gateway", headers=stepped_up_headers)).json()[
            "items"
        ]
    }
    assert states[old["prefix"]]["status"] == "grace"
    assert states[old["prefix"]]["rotatedAt"] is not None
    assert states[new["prefix"]]["status"] == "active"

    await expire_key(app, old["prefix"])  # the grace period has passed
    assert await introspect(client, old["apiKey"]) == {"active": False}
    assert (await introspect(client, new["apiKey"]))["active"] is True
    listing = await client.get(f"{KEYS}/gateway", headers=stepped_up_headers)
    assert {item["status"] for item in listing.json()["items"]} == {"expired", "active"}


async def test_rotation_may_change_scopes_and_expiry(
    client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    await create_key(client, stepped_up_headers, "gateway", ["admin"])
    new = await rotate_key(
        client, stepped_up_headers, "gateway", scopes=["story:read"], expiresInDays=1
    )
    assert new["scopes"] == ["story:read"]
    assert at(new["expiresAt"]) - at(new["createdAt"]) == timedelta(days=1)


async def test_with_no_grace_a_rotated_key_dies_at_once(settings: KmsSettings) -> None:
    no_grace = settings.model_copy(update={"api_key_rotation_grace_seconds": 0})
    async with kms_client(no_grace) as (app, client):
        headers = bearer(await mint_token(app, roles=["admin"], amr=STEPPED_UP))
        old = await create_key(client, headers, "gateway")
        new = await rotate_key(client, headers, "gateway")
        assert await introspect(client, old["apiKey"]) == {"active": False}
        assert (await introspect(client, new["apiKey"]))["active"] is True


async def test_revoke_kills_every_key_of_the_service_and_a_new_one_may_follow(
    client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    old = await create_key(client, stepped_up_headers, "gateway")
    new = await rotate_key(client, stepped_up_headers, "gateway")
    other = await create_key(client, stepped_up_headers, "indexer")

    response = await client.delete(f"{KEYS}/gateway", headers=stepped_up_headers)
    assert response.status_code == 204
    assert response.content == b""
    for revoked in (old, new):
        assert await introspect(client, revoked["apiKey"]) == {"active": False}
    assert (await introspect(client, other["apiKey"]))["active"] is True

    listing = await client.get(KEYS, headers=stepped_up_headers)
    assert [item["serviceName"] for item in listing.json()["items"]] == ["indexer"]
    history = await client.get(KEYS, params={"includeRevoked": "true"}, headers=stepped_up_headers)
    assert history.json()["totalCount"] == 3
    gateway = (await client.get(f"{KEYS}/gateway", headers=stepped_up_headers)).json()["items"]
    assert {item["status"] for item in gateway} == {"revoked"}
    assert all(item["revokedAt"] for item in gateway)

    assert (await client.delete(f"{KEYS}/gateway", headers=stepped_up_headers)).status_code == 404
    assert (
        await client.post(f"{KEYS}/gateway/rotate", headers=stepped_up_headers)
    ).status_code == 404

    reissued = await create_key(client, stepped_up_headers, "gateway", ["story:write"])
    assert (await introspect(client, reissued["apiKey"]))["active"] is True
    assert (await introspect(client, new["apiKey"]))["active"] is False


async def test_an_expired_key_makes_way_for_a_new_one(
    app: FastAPI, client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    old = await create_key(client, stepped_up_headers, "gateway")
    await expire_key(app, old["prefix"])
    assert (
        await client.post(f"{KEYS}/gateway/rotate", headers=stepped_up_headers)
    ).status_code == 404
    assert (await client.delete(f"{KEYS}/gateway", headers=stepped_up_headers)).status_code == 404
    new = await create_key(client, stepped_up_headers, "gateway")
    assert (await introspect(client, new["apiKey"]))["active"] is True
    items = (await client.get(f"{KEYS}/gateway", headers=stepped_up_headers)).json()["items"]
    assert {item["prefix"]: item["status"] for item in items} == {
        old["prefix"]: "expired",
        new["prefix"]: "active",
    }


async def test_unknown_services_are_not_found(
    client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    assert (await client.get(f"{KEYS}/nobody", headers=stepped_up_headers)).status_code == 404
    assert (
        await client.post(f"{KEYS}/nobody/rotate", headers=stepped_up_headers)
    ).status_code == 404
    response = await client.delete(f"{KEYS}/nobody", headers=stepped_up_headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_last_use_is_recorded_at_most_once_a_minute(
    app: FastAPI, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await create_key(client, admin_headers, "gateway", ["admin"])
    assert (await stored_key(app, created["prefix"])).last_used_at is None

    await introspect(client, created["apiKey"])
    first = (await stored_key(app, created["prefix"])).last_used_at
    assert first is not None
    # Authenticating with the key counts as a use too; within the minute nothing is written.
    assert (await client.get(KEYS, headers=bearer(created["apiKey"]))).status_code == 200
    assert (await stored_key(app, created["prefix"])).last_used_at == first

    long_ago = utcnow() - timedelta(minutes=2)
    await set_key_times(app, created["prefix"], last_used_at=long_ago)
    assert (await client.get(KEYS, headers={"X-API-Key": created["apiKey"]})).status_code == 200
    recorded = (await stored_key(app, created["prefix"])).last_used_at
    assert recorded is not None
    assert recorded > long_ago + timedelta(minutes=1)
    listing = (await client.get(f"{KEYS}/gateway", headers=admin_headers)).json()
    assert at(listing["items"][0]["lastUsedAt"]) == recorded


async def test_listing_pages_and_filters(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    for service in ("alpha", "beta", "gamma"):
        await create_key(client, admin_headers, service)
    first = (await client.get(KEYS, params={"limit": 2}, headers=admin_headers)).json()
    assert first["totalCount"] == 3
    assert len(first["items"]) == 2
    rest = (await client.get(KEYS, params={"offset": 2}, headers=admin_headers)).json()
    assert len(rest["items"]) == 1
    beta = await client.get(KEYS, params={"serviceName": "beta"}, headers=admin_headers)
    assert [item["serviceName"] for item in beta.json()["items"]] == ["beta"]


async def test_management_is_audited_without_the_key(
    client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    created = await create_key(client, stepped_up_headers, "gateway", ["admin"])
    rotated = await rotate_key(client, stepped_up_headers, "gateway")
    assert (await client.delete(f"{KEYS}/gateway", headers=stepped_up_headers)).status_code == 204

    response = await client.get(
        "/api/v1/audit", params={"target": "gateway"}, headers=stepped_up_headers
    )
    assert response.status_code == 200, response.text
    for key in (created["apiKey"], rotated["apiKey"]):
        assert key not in response.text
        assert secret_of(key) not in response.text
    events = {event["event"]: event for event in response.json()["items"]}
    assert set(events) == {"apiKeyCreate", "apiKeyRotate", "apiKeyRevoke"}
    assert all(event["actor"] == "root" for event in events.values())
    assert events["apiKeyCreate"]["details"]["prefix"] == created["prefix"]
    assert events["apiKeyCreate"]["details"]["scopes"] == ["admin"]
    assert events["apiKeyRotate"]["details"]["previousPrefix"] == created["prefix"]
    assert events["apiKeyRevoke"]["details"]["prefixes"] == sorted(
        [created["prefix"], rotated["prefix"]]
    )


async def test_the_seed_paths_work_at_the_root_and_are_documented_once(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/keys", json={"serviceName": "gateway", "scopes": ["story:read"]}, headers=admin_headers
    )
    assert response.status_code == 201, response.text
    assert (await client.get("/keys/gateway", headers=admin_headers)).status_code == 200
    api_key = response.json()["apiKey"]
    assert (await client.post("/keys/introspect", json={"apiKey": api_key})).json()["active"]

    spec = (await client.get("/openapi.json")).json()
    operations = {
        (method, path): operation["operationId"]
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if "/keys" in path
    }
    assert operations == {
        ("post", f"{KEYS}/introspect"): "introspectApiKey",
        ("post", KEYS): "createApiKey",
        ("get", KEYS): "listApiKeys",
        ("get", f"{KEYS}/{{service_name}}"): "getServiceApiKeys",
        ("post", f"{KEYS}/{{service_name}}/rotate"): "rotateApiKey",
        ("delete", f"{KEYS}/{{service_name}}"): "revokeApiKeys",
    }
    read_schema = spec["components"]["schemas"]["ApiKeyRead"]["properties"]
    assert not {"apiKey", "secretHash", "secret_hash"} & set(read_schema)


async def test_concurrent_creates_and_rotations_leave_one_current_key(
    app: FastAPI, client: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    body = {"serviceName": "gateway", "scopes": ["story:read"]}
    created = await asyncio.gather(
        *(client.post(KEYS, json=body, headers=stepped_up_headers) for _ in range(5))
    )
    assert sorted(response.status_code for response in created) == [201, 409, 409, 409, 409]

    rotated = await asyncio.gather(
        *(client.post(f"{KEYS}/gateway/rotate", headers=stepped_up_headers) for _ in range(4))
    )
    assert {response.status_code for response in rotated} <= {200, 409}
    winners = [response.json() for response in rotated if response.status_code == 200]
    assert winners
    items = (await client.get(f"{KEYS}/gateway", headers=stepped_up_headers)).json()["items"]
    [current] = [item for item in items if item["status"] == "active"]
    assert len(items) == 1 + len(winners)
    assert current["prefix"] in {winner["prefix"] for winner in winners}
