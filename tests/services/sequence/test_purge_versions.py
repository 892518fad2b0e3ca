"""purgeVersions: admin with a second factor within 5 minutes; numbers are never reused."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.services.sequence.conftest import SEQUENCE, allocate
from tests.services.sequence.test_auth import anonymous
from tests.support.tokens import LocalIssuer

VERSION = f"{SEQUENCE}/version"
HISTORY = "/api/v1/versions/action/7"


def stepped_up(issuer: LocalIssuer, *roles: str, age: int = 10, **claims: Any) -> dict[str, str]:
    token = issuer.token(
        *roles, username="ada", amr=("pwd", "otp"), auth_time=int(time.time()) - age, **claims
    )
    return {"Authorization": f"Bearer {token}"}


async def make_versions(client: httpx.AsyncClient, count: int) -> None:
    await allocate(client, "action", 7, script_id=3)
    for number in range(1, count + 1):
        body = {"elementType": "action", "elementId": 7, "newVersionData": {"n": number}}
        assert (await client.post(VERSION, json=body)).status_code == 201


async def version_numbers(client: httpx.AsyncClient) -> list[int]:
    page = (await client.get(HISTORY)).json()
    return [item["versionNumber"] for item in page["items"]]


async def test_a_stepped_up_admin_purges_all_but_the_newest(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    await make_versions(client, 4)
    async with anonymous(app, **stepped_up(issuer, "admin")) as admin:
        response = await admin.delete(HISTORY, params={"keepLatest": 1, "comment": "GDPR"})
    assert response.status_code == 200
    assert response.json() == {
        "elementType": "action",
        "elementId": 7,
        "purged": 3,
        "remaining": 1,
        "comment": "GDPR",
    }
    assert await version_numbers(client) == [4]
    body = {"elementType": "action", "elementId": 7, "newVersionData": {"n": 5}}
    assert (await client.post(VERSION, json=body)).json()["versionNumber"] == 5  # not reused
    audit = (await client.get("/api/v1/audit", params={"action": "purgeVersions"})).json()
    assert audit["items"][0]["actor"] == "ada"
    assert audit["items"][0]["details"] == {"purged": 3, "remaining": 1, "keepLatest": 1}


async def test_purging_everything_and_purging_again(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    await make_versions(client, 2)
    async with anonymous(app, **stepped_up(issuer, "admin")) as admin:
        first = await admin.delete(HISTORY)
        again = await admin.delete(HISTORY)
    assert (first.json()["purged"], first.json()["remaining"]) == (2, 0)
    assert (again.status_code, again.json()["purged"]) == (200, 0)
    assert await version_numbers(client) == []


@pytest.mark.parametrize(
    ("amr", "age", "why"),
    [
        (("pwd",), 10, "password only"),
        (("pwd", "otp"), 301, "stepped up more than 5 minutes ago"),
    ],
)
async def test_without_a_recent_second_factor_nothing_is_purged(
    app: FastAPI,
    client: httpx.AsyncClient,
    issuer: LocalIssuer,
    amr: tuple[str, ...],
    age: int,
    why: str,
) -> None:
    await make_versions(client, 2)
    token = issuer.token("admin", amr=amr, auth_time=int(time.time()) - age)
    async with anonymous(app, Authorization=f"Bearer {token}") as admin:
        response = await admin.delete(HISTORY)
    assert response.status_code == 401, why
    assert response.json()["type"].endswith("/insufficient-user-authentication")
    assert "max_age=300" in response.headers["www-authenticate"]
    assert await version_numbers(client) == [2, 1]


async def test_a_stepped_up_writer_is_not_enough(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    await make_versions(client, 1)
    async with anonymous(app, **stepped_up(issuer, "writer")) as writer:
        response = await writer.delete(HISTORY)
    assert response.status_code == 403
    assert await version_numbers(client) == [1]


@pytest.mark.parametrize("keep", ["-1", "x", "10001", "1.5"])
async def test_bad_keep_latest_is_422(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer, keep: str
) -> None:
    await make_versions(client, 1)
    async with anonymous(app, **stepped_up(issuer, "admin")) as admin:
        response = await admin.delete(HISTORY, params={"keepLatest": keep})
    assert response.status_code == 422
    assert await version_numbers(client) == [1]
