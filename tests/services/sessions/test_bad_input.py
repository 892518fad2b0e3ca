"""Bad input on every endpoint: a 4xx problem+json each, and the data unchanged (asserted)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.services.sessions.conftest import (
    CONTEXTS,
    SESSIONS,
    create_session,
    number,
    snapshot,
)

TARGET = "character/1"


def nested(depth: int) -> Any:
    """``1`` inside ``depth`` lists."""
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


BIG = 2**63

BAD_SESSIONS: list[tuple[str, Any]] = [
    ("missing title", {"context": []}),
    ("empty title", {"title": ""}),
    ("title too long", {"title": "t" * 201}),
    ("title as number", {"title": 5}),
    ("title with NUL", {"title": "a\x00b"}),
    ("scriptId as string", {"title": "t", "scriptId": "1"}),
    ("scriptId as float", {"title": "t", "scriptId": 1.0}),
    ("scriptId as bool", {"title": "t", "scriptId": True}),
    ("scriptId zero", {"title": "t", "scriptId": 0}),
    ("scriptId too big", {"title": "t", "scriptId": BIG}),
    ("context as string", {"title": "t", "context": "a,b"}),
    ("context with a number", {"title": "t", "context": ["a", 1]}),
    ("context with null", {"title": "t", "context": [None]}),
    ("context item too long", {"title": "t", "context": ["x" * 2001]}),
    ("too many context items", {"title": "t", "context": ["x"] * 501}),
    ("context item with NUL", {"title": "t", "context": ["\x00"]}),
    ("comment too long", {"title": "t", "comment": "c" * 2001}),
    ("comment as list", {"title": "t", "comment": ["c"]}),
    ("unknown field", {"title": "t", "owner": "me"}),
    ("appendContext on create", {"title": "t", "appendContext": ["x"]}),
    ("array body", [{"title": "t"}]),
]
BAD_PATCHES: list[tuple[str, Any]] = [
    ("null title", {"title": None}),
    ("null context", {"context": None}),
    ("appendContext as string", {"appendContext": "x"}),
    ("appendContext too long", {"appendContext": ["x"] * 501}),
    ("scriptId as string", {"scriptId": "2"}),
    ("unknown field", {"updatedAt": "2026-01-01T00:00:00Z"}),
]
BAD_CONTEXTS: list[tuple[str, Any]] = [
    ("missing values", {"comment": "c"}),
    ("values as list", {"values": [["k", 1]]}),
    ("values as string", {"values": "k=1"}),
    ("empty key", {"values": {"": 1}}),
    ("key with a space", {"values": {"a b": 1}}),
    ("key with a slash", {"values": {"a/b": 1}}),
    ("key too long", {"values": {"k" * 101: 1}}),
    ("string with NUL", {"values": {"k": "\x00"}}),
    ("nested key with NUL", {"values": {"k": {"a\x00": 1}}}),
    ("too deep", {"values": {"k": nested(32)}}),
    ("too big", {"values": {"k": "x" * 10_300}}),
    ("too many keys", {"values": {f"k{i}": None for i in range(501)}}),
    ("comment too long", {"values": {}, "comment": "c" * 2001}),
    ("unknown field", {"values": {}, "revision": 3}),
]


@pytest.fixture
async def seeded(
    alice: httpx.AsyncClient, root: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> dict[str, Any]:
    await number(sequence, "script", 1)
    await number(sequence, "character", 1, script_id=1)
    await create_session(alice, title="Kept", scriptId=1, context=["a, b"])
    response = await alice.put(f"{CONTEXTS}/{TARGET}", json={"values": {"mood": "dark"}})
    assert response.status_code == 200
    return await snapshot(root, TARGET)


def assert_problem(response: httpx.Response, status: int = 422) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status


@pytest.mark.parametrize(("case", "body"), BAD_SESSIONS, ids=[c for c, _ in BAD_SESSIONS])
async def test_bad_session_bodies_change_nothing(
    alice: httpx.AsyncClient, root: httpx.AsyncClient, seeded: dict[str, Any], case: str, body: Any
) -> None:
    session_id = seeded["sessions"][0]["id"]
    assert_problem(await alice.post(SESSIONS, json=body))
    assert_problem(await alice.put(f"{SESSIONS}/{session_id}", json=body))
    if isinstance(body, dict) and "title" in body and case != "appendContext on create":
        assert_problem(await alice.patch(f"{SESSIONS}/{session_id}", json=body))
    assert await snapshot(root, TARGET) == seeded


@pytest.mark.parametrize(("case", "body"), BAD_PATCHES, ids=[c for c, _ in BAD_PATCHES])
async def test_bad_patches_change_nothing(
    alice: httpx.AsyncClient, root: httpx.AsyncClient, seeded: dict[str, Any], case: str, body: Any
) -> None:
    session_id = seeded["sessions"][0]["id"]
    assert_problem(await alice.patch(f"{SESSIONS}/{session_id}", json=body))
    assert await snapshot(root, TARGET) == seeded


@pytest.mark.parametrize(("case", "body"), BAD_CONTEXTS, ids=[c for c, _ in BAD_CONTEXTS])
async def test_bad_context_writes_change_nothing(
    alice: httpx.AsyncClient, root: httpx.AsyncClient, seeded: dict[str, Any], case: str, body: Any
) -> None:
    assert_problem(await alice.put(f"{CONTEXTS}/{TARGET}", json=body))
    assert await snapshot(root, TARGET) == seeded


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", f"{CONTEXTS}/{TARGET}", b'{"values": {"k": 1e400}}'),  # read as infinity
        ("PUT", f"{CONTEXTS}/{TARGET}", b'{"values": {"k": "\\ud800"}}'),
        ("PUT", f"{CONTEXTS}/{TARGET}", b'{"values": {"k": "ok"}, "comment": "\\udfff"}'),
        ("POST", SESSIONS, b'{"title": "a\\ud800b"}'),
        ("POST", SESSIONS, b'{"title": "t", "context": ["\\udc00"]}'),
    ],
)
async def test_json_the_databases_cannot_store_is_refused(
    alice: httpx.AsyncClient,
    root: httpx.AsyncClient,
    seeded: dict[str, Any],
    method: str,
    path: str,
    body: bytes,
) -> None:
    """Lone surrogates are valid JSON escapes but not UTF-8; infinities are not JSON."""
    response = await alice.request(
        method, path, content=body, headers={"content-type": "application/json"}
    )
    assert_problem(response)
    assert await snapshot(root, TARGET) == seeded


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{SESSIONS}/0"),
        ("GET", f"{SESSIONS}/-1"),
        ("GET", f"{SESSIONS}/abc"),
        ("GET", f"{SESSIONS}/{BIG}"),
        ("PATCH", f"{SESSIONS}/1.5"),
        ("DELETE", f"{SESSIONS}/abc"),
        ("DELETE", f"{SESSIONS}/1?comment={'c' * 2001}"),
        ("GET", f"{SESSIONS}?scriptId=0"),
        ("GET", f"{SESSIONS}?scriptId=x"),
        ("GET", f"{SESSIONS}?sort=id"),
        ("GET", f"{SESSIONS}?limit=0"),
        ("GET", f"{SESSIONS}?limit=100000"),
        ("GET", f"{SESSIONS}?offset=-1"),
        ("GET", f"{SESSIONS}?context={'x' * 2001}"),
        ("GET", f"{SESSIONS}?context=%00"),
        ("GET", f"{SESSIONS}?owner={'o' * 129}"),
        ("GET", f"{CONTEXTS}/dialogue/1"),
        ("GET", f"{CONTEXTS}/character/0"),
        ("GET", f"{CONTEXTS}/character/abc"),
        ("PUT", f"{CONTEXTS}/character/{BIG}"),
        ("GET", f"{CONTEXTS}/character/1/history?key=a%20b"),
        ("GET", f"{CONTEXTS}/character/1/history?key={'k' * 101}"),
        ("POST", f"{CONTEXTS}/character/1"),
        ("DELETE", f"{CONTEXTS}/character/1"),
        ("POST", f"{SESSIONS}/1"),
    ],
)
async def test_bad_paths_and_queries_are_4xx_problems(
    alice: httpx.AsyncClient,
    root: httpx.AsyncClient,
    seeded: dict[str, Any],
    method: str,
    path: str,
) -> None:
    response = await alice.request(method, path)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await snapshot(root, TARGET) == seeded


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"title=t", "application/x-www-form-urlencoded", 415),
        (b"", "application/json", 422),
        (b"null", "application/json", 422),
        (b"[]", "application/json", 422),
    ],
)
async def test_non_json_bodies_are_problems(
    alice: httpx.AsyncClient,
    root: httpx.AsyncClient,
    seeded: dict[str, Any],
    content: bytes,
    content_type: str,
    status: int,
) -> None:
    for method, path in (("POST", SESSIONS), ("PUT", f"{CONTEXTS}/{TARGET}")):
        response = await alice.request(
            method, path, content=content, headers={"content-type": content_type}
        )
        assert_problem(response, status)
    assert await snapshot(root, TARGET) == seeded
