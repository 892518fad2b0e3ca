"""Reads need `reader`, writes `writer`; the audit names who wrote. Every refusal is a problem."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.services.sequence.conftest import SEQUENCE, allocate, snapshot
from tests.support.tokens import LocalIssuer

WRITES = [
    ("POST", SEQUENCE, {"elementType": "script", "elementId": 1}),
    (
        "POST",
        f"{SEQUENCE}/batch",
        {"scriptId": 1, "elements": [{"elementType": "action", "elementId": 9}]},
    ),
    ("PUT", f"{SEQUENCE}/reorder", {"scriptId": 1, "order": []}),
    ("DELETE", f"{SEQUENCE}/action/2", None),
    (
        "POST",
        f"{SEQUENCE}/version",
        {"elementType": "action", "elementId": 2, "newVersionData": {}},
    ),
]
READS = [
    f"{SEQUENCE}?scriptId=1",
    f"{SEQUENCE}/action/2",
    "/api/v1/versions/action/2",
    "/api/v1/audit",
]


def anonymous(app: FastAPI, **headers: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://sequence.test", headers=headers)


@pytest.fixture
async def seeded(client: httpx.AsyncClient) -> None:
    await allocate(client, "script", 1)
    await allocate(client, "action", 2)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("path", READS)
async def test_reads_need_a_token_and_a_reader_may_read(
    app: FastAPI, issuer: LocalIssuer, path: str
) -> None:
    async with anonymous(app) as http:
        refused = await http.get(path)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["www-authenticate"].startswith("Bearer")
    async with anonymous(app, **issuer.headers("reader")) as http:
        assert (await http.get(path)).status_code == 200


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
async def test_a_reader_cannot_write_and_nothing_changes(
    app: FastAPI,
    client: httpx.AsyncClient,
    issuer: LocalIssuer,
    method: str,
    path: str,
    body: object,
) -> None:
    before = await snapshot(client)
    for headers in ({}, issuer.headers("reader")):
        async with anonymous(app, **headers) as http:
            response = await http.request(method, path, json=body)
        assert response.status_code == (403 if headers else 401), response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert await snapshot(client) == before


@pytest.mark.usefixtures("seeded")
async def test_a_token_from_another_key_or_for_another_audience_is_refused(
    app: FastAPI, settings: object, issuer: LocalIssuer
) -> None:
    stranger = LocalIssuer(issuer.settings, kid=issuer.kid)  # same kid, different key
    wrong_audience = issuer.token("writer", aud="someone-else")
    for token in (stranger.token("writer"), wrong_audience, "not-a-token"):
        async with anonymous(app, Authorization=f"Bearer {token}") as http:
            response = await http.get(f"{SEQUENCE}?scriptId=1")
        assert response.status_code == 401
        assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_admins_may_write_and_the_audit_names_the_writer(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    await allocate(client, "script", 1)
    async with anonymous(app, **issuer.headers("admin", username="ada")) as http:
        created = await http.post(
            SEQUENCE, json={"elementType": "action", "elementId": 7, "scriptId": 1}
        )
        assert created.status_code == 201
        versioned = await http.post(
            f"{SEQUENCE}/version",
            json={"elementType": "action", "elementId": 7, "newVersionData": {"text": "hi"}},
        )
        assert versioned.status_code == 201
    audit = (await client.get("/api/v1/audit")).json()["items"]
    actors = {(entry["action"], entry["actor"]) for entry in audit}
    assert actors == {("allocate", "writer-1"), ("allocate", "ada"), ("createVersion", "ada")}


async def test_every_operation_refuses_anonymous_callers(app: FastAPI) -> None:
    """No route may forget its guard: each /api/v1 operation answers 401 without a token."""
    samples = {"{elementType}": "action", "{elementId}": "2", "{versionNumber}": "1"}
    operations = [
        (method, path)
        for path, item in app.openapi()["paths"].items()
        if path.startswith("/api/v1")
        for method in item
    ]
    assert len(operations) >= 10
    async with anonymous(app) as http:
        for method, template in operations:
            path = template
            for placeholder, value in samples.items():
                path = path.replace(placeholder, value)
            response = await http.request(method.upper(), path, json={})
            assert response.status_code == 401, (method, template, response.text)
