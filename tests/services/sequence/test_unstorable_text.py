"""Text no backend can store — NUL, unpaired surrogates, non-UTF-8 URLs — is a 4xx, never a 500.

PostgreSQL refuses NUL in text and JSONB, and a lone surrogate cannot be encoded as UTF-8; JSON
lets both in as escapes. Every service's bodies (``StorableInput``) and URLs (middleware) refuse
them before they reach the database. Both backends, data unchanged.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.services.sequence.conftest import SEQUENCE, allocate, snapshot

VERSION = f"{SEQUENCE}/version"
RAW_BODIES = [
    (SEQUENCE, rb'{"elementType":"script","elementId":2,"comment":"a\u0000b"}'),
    (SEQUENCE, rb'{"elementType":"script","elementId":2,"comment":"a\ud800b"}'),
    (SEQUENCE, rb'{"elementType":"script","elementId":2,"comment":"a\udfffb"}'),
    (VERSION, rb'{"elementType":"script","elementId":1,"newVersionData":{"t":"\u0000"}}'),
    (VERSION, rb'{"elementType":"script","elementId":1,"newVersionData":{"k\u0000":1}}'),
    (VERSION, rb'{"elementType":"script","elementId":1,"newVersionData":{"a":[["\ud83d"]]}}'),
]
NON_FINITE = [
    b'{"elementType":"script","elementId":1,"newVersionData":{"a":NaN}}',
    b'{"elementType":"script","elementId":1,"newVersionData":{"a":[Infinity]}}',
    b'{"elementType":"script","elementId":1,"newVersionData":{"a":-Infinity}}',
    b'{"elementType":"script","elementId":1,"newVersionData":{"a":1e999}}',
]
URLS = [
    "/api/v1/audit?comment=a%00b",
    "/api/v1/audit?action=%00",
    "/api/v1/audit?action=%ff%fe",
    "/api/v1/versions/script/1%00",
    "/api/v1/sequence/%ED%A0%80/1",
]


@pytest.fixture
async def seeded(client: httpx.AsyncClient) -> dict[str, Any]:
    await allocate(client, "script", 1)
    return await snapshot(client)


@pytest.mark.parametrize(("path", "body"), RAW_BODIES)
async def test_unstorable_text_in_a_body_is_422(
    client: httpx.AsyncClient, seeded: dict[str, Any], path: str, body: bytes
) -> None:
    response = await client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert "NUL characters or unpaired surrogates" in response.text
    assert await snapshot(client) == seeded


@pytest.mark.parametrize("body", NON_FINITE)
async def test_non_finite_numbers_are_422_not_stored_as_null(
    client: httpx.AsyncClient, seeded: dict[str, Any], body: bytes
) -> None:
    """Found while adding this file: SQLite stored NaN as null, PostgreSQL answered 500."""
    response = await client.post(
        VERSION, content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert "finite" in response.text
    assert await snapshot(client) == seeded


async def test_a_proper_surrogate_pair_is_fine(client: httpx.AsyncClient) -> None:
    body = rb'{"elementType":"script","elementId":3,"comment":"\ud83c\udfac take one"}'
    response = await client.post(
        SEQUENCE, content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 201
    assert response.json()["comment"] == "\U0001f3ac take one"


@pytest.mark.parametrize("url", URLS)
async def test_unstorable_text_in_a_url_is_400(
    client: httpx.AsyncClient, seeded: dict[str, Any], url: str
) -> None:
    response = await client.get(url)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await snapshot(client) == seeded
