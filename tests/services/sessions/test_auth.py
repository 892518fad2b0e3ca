"""Every operation refuses anonymous callers; readers read (contexts, their own sessions) but
never write; every refusal is a problem and changes nothing."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.services.sessions.conftest import (
    CONTEXTS,
    SESSIONS,
    client_for,
    create_session,
    number,
    snapshot,
)
from tests.support.tokens import LocalIssuer

WRITES = [
    ("POST", SESSIONS, {"title": "t"}),
    ("PATCH", f"{SESSIONS}/1", {"title": "t"}),
    ("PUT", f"{SESSIONS}/1", {"title": "t"}),
    ("DELETE", f"{SESSIONS}/1", None),
    ("PUT", f"{CONTEXTS}/character/1", {"values": {"k": "v"}}),
]
READS = [
    SESSIONS,
    f"{CONTEXTS}?scriptId=1",
    f"{CONTEXTS}/character/1",
    f"{CONTEXTS}/character/1/history",
]


@pytest.fixture
async def seeded(alice: httpx.AsyncClient, sequence: httpx.AsyncClient) -> None:
    await number(sequence, "script", 1)
    await number(sequence, "character", 1, script_id=1)
    await create_session(alice, scriptId=1)
    assert (await alice.put(f"{CONTEXTS}/character/1", json={"values": {"k": 1}})).is_success


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("path", READS)
async def test_reads_need_a_token_and_a_reader_may_read(
    app: FastAPI, reader: httpx.AsyncClient, path: str
) -> None:
    async with client_for(app, {}) as anonymous:
        refused = await anonymous.get(path)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert (await reader.get(path)).status_code == 200


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
async def test_a_reader_cannot_write_and_nothing_changes(
    app: FastAPI,
    root: httpx.AsyncClient,
    reader: httpx.AsyncClient,
    method: str,
    path: str,
    body: object,
) -> None:
    before = await snapshot(root, "character/1")
    async with client_for(app, {}) as anonymous:
        assert (await anonymous.request(method, path, json=body)).status_code == 401
    refused = await reader.request(method, path, json=body)
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert await snapshot(root, "character/1") == before


async def test_a_token_from_another_key_is_refused(app: FastAPI, issuer: LocalIssuer) -> None:
    stranger = LocalIssuer(issuer.settings, kid=issuer.kid)
    for token in (stranger.token("admin"), issuer.token("admin", aud="elsewhere"), "x.y.z"):
        async with client_for(app, {"Authorization": f"Bearer {token}"}) as http:
            response = await http.get(SESSIONS)
        assert response.status_code == 401
        assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_every_operation_refuses_anonymous_callers(app: FastAPI) -> None:
    """No route may forget its guard: each /api/v1 operation answers 401 without a token."""
    samples = {"{sessionId}": "1", "{targetType}": "character", "{targetId}": "1"}
    operations = [
        (method, path)
        for path, item in app.openapi()["paths"].items()
        if path.startswith("/api/v1")
        for method in item
    ]
    assert len(operations) == 10
    async with client_for(app, {}) as anonymous:
        for method, template in operations:
            path = template
            for placeholder, value in samples.items():
                path = path.replace(placeholder, value)
            response = await anonymous.request(method.upper(), path, json={})
            assert response.status_code == 401, (method, template, response.text)
