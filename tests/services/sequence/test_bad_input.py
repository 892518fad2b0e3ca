"""Bad input: each a 4xx problem+json, and the data unchanged afterwards (asserted)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.services.sequence.conftest import SEQUENCE, allocate, snapshot

VALID = {"elementType": "action", "elementId": 5, "scriptId": 1}

BAD_BODIES: list[tuple[str, Any]] = [
    ("unknown elementType", {**VALID, "elementType": "dialogue"}),
    ("zero id", {**VALID, "elementId": 0}),
    ("negative id", {**VALID, "elementId": -3}),
    ("huge id", {**VALID, "elementId": 2**63}),
    ("enormous id", {**VALID, "elementId": 10**40}),
    ("zero scriptId", {**VALID, "scriptId": 0}),
    ("missing elementId", {"elementType": "action", "scriptId": 1}),
    ("missing elementType", {"elementId": 5, "scriptId": 1}),
    ("missing scriptId", {"elementType": "action", "elementId": 5}),
    ("id as string", {**VALID, "elementId": "5"}),
    ("id as float", {**VALID, "elementId": 5.0}),
    ("id as bool", {**VALID, "elementId": True}),
    ("id as null", {**VALID, "elementId": None}),
    ("type as number", {**VALID, "elementType": 3}),
    ("comment as number", {**VALID, "comment": 42}),
    ("comment too long", {**VALID, "comment": "x" * 2001}),
    ("position zero", {**VALID, "position": 0}),
    ("position as string", {**VALID, "position": "1"}),
    ("unknown field", {**VALID, "sequenceNumber": 1}),
    ("script scope mismatch", {"elementType": "script", "elementId": 2, "scriptId": 1}),
    ("array body", [VALID]),
    ("string body", "hello"),
]


@pytest.fixture
async def seeded(client: httpx.AsyncClient) -> dict[str, Any]:
    for i in range(1, 4):
        await allocate(client, "action", i)
    return await snapshot(client)


@pytest.mark.parametrize(("case", "body"), BAD_BODIES, ids=[case for case, _ in BAD_BODIES])
async def test_bad_json_bodies_are_422_problems_and_change_nothing(
    client: httpx.AsyncClient, seeded: dict[str, Any], case: str, body: Any
) -> None:
    response = await client.post(SEQUENCE, json=body)
    assert response.status_code == 422, f"{case}: {response.text}"
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["status"] == 422
    assert problem["errors"], case
    assert "input" not in str(problem["errors"][0].keys())
    assert await snapshot(client) == seeded


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b'{"elementType": "action",', "application/json", 400),
        (b"\xff\xfe\x00garbage", "application/json", 400),
        (b"elementType=action&elementId=1", "application/x-www-form-urlencoded", 415),
        (b"<xml/>", "text/xml", 415),
        (b"", "application/json", 422),
        (b"null", "application/json", 422),
        (b'{"elementType": "action", "elementId": 1e400, "scriptId": 1}', "application/json", 422),
    ],
)
async def test_non_json_bodies_are_4xx_problems_and_change_nothing(
    client: httpx.AsyncClient,
    seeded: dict[str, Any],
    content: bytes,
    content_type: str,
    status: int,
) -> None:
    response = await client.post(SEQUENCE, content=content, headers={"content-type": content_type})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await snapshot(client) == seeded


async def test_ten_megabyte_body_is_413_and_changes_nothing(
    client: httpx.AsyncClient, seeded: dict[str, Any]
) -> None:
    huge = (
        b'{"elementType": "action", "elementId": 9, "scriptId": 1, "comment": "'
        + (b"x" * 10_000_000)
        + b'"}'
    )
    response = await client.post(
        SEQUENCE, content=huge, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["title"] == "Request body too large"
    assert await snapshot(client) == seeded


async def test_streamed_body_without_length_is_cut_at_the_limit(
    client: httpx.AsyncClient, seeded: dict[str, Any]
) -> None:
    async def chunks() -> Any:
        yield b'{"elementType": "action", "elementId": 9, "scriptId": 1, "comment": "'
        for _ in range(20):
            yield b"y" * 100_000
        yield b'"}'

    response = await client.post(
        SEQUENCE, content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert await snapshot(client) == seeded


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/sequence/dialogue/1"),
        ("GET", "/api/v1/sequence/action/0"),
        ("GET", "/api/v1/sequence/action/abc"),
        ("GET", "/api/v1/sequence/action/99999999999999999999999"),
        ("GET", "/api/v1/sequence?scriptId=-1"),
        ("GET", "/api/v1/sequence?scriptId=1&limit=100000"),
        ("GET", "/api/v1/sequence?scriptId=1&offset=-5"),
        ("GET", "/api/v1/sequence"),
        ("GET", "/api/v1/versions/action/1/0"),
        ("GET", "/api/v1/versions/action/1/2/diff?against=zero"),
        ("DELETE", "/api/v1/sequence/action/-1"),
        ("GET", "/api/v1/audit?action=explode"),
        ("PATCH", "/api/v1/sequence"),
        ("GET", "/api/v1/no-such-thing"),
    ],
)
async def test_bad_paths_and_queries_are_4xx_problems(
    client: httpx.AsyncClient, seeded: dict[str, Any], method: str, path: str
) -> None:
    response = await client.request(method, path)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code
    assert await snapshot(client) == seeded


@pytest.mark.parametrize(
    "body",
    [
        {"elementType": "action", "elementId": 1},
        {"elementType": "action", "elementId": 1, "newVersionData": [1, 2]},
        {"elementType": "action", "elementId": 1, "newVersionData": "snapshot"},
        {"elementType": "nope", "elementId": 1, "newVersionData": {}},
    ],
)
async def test_bad_version_requests_change_nothing(
    client: httpx.AsyncClient, seeded: dict[str, Any], body: dict[str, Any]
) -> None:
    response = await client.post(f"{SEQUENCE}/version", json=body)
    assert response.status_code == 422
    assert (await client.get("/api/v1/versions/action/1")).json()["totalCount"] == 0
    assert await snapshot(client) == seeded
