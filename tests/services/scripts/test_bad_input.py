"""Bad input on every endpoint: a 4xx problem+json, and the data unchanged (asserted)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.services.scripts.support import API, one_of_each, outbox_rows, row_counts

BAD_WRITES: list[tuple[str, str, Any]] = [
    ("POST", "/scripts", {}),
    ("POST", "/scripts", {"title": ""}),
    ("POST", "/scripts", {"title": "x" * 301}),
    ("POST", "/scripts", {"title": 5}),
    ("POST", "/scripts", {"title": "T", "author": "a" * 201}),
    ("POST", "/scripts", {"title": "T", "description": "d" * 10_001}),
    ("POST", "/scripts", {"title": "T", "titlePage": [{"key": "", "value": "v"}]}),
    ("POST", "/scripts", {"title": "T", "titlePage": {"Title": "x"}}),
    ("POST", "/scripts", {"title": "T", "titlePage": [{"key": "k", "value": "v", "x": 1}]}),
    ("POST", "/scripts", {"title": "T", "sequenceNumber": 1}),
    ("POST", "/scripts", {"title": "T", "comment": "c" * 2001}),
    ("POST", "/scripts", ["title"]),
    ("PATCH", "/scripts/{script}", {"author": None}),
    ("PATCH", "/scripts/{script}", {"id": 3}),
    ("PUT", "/scripts/{script}", {"author": "no title"}),
    ("PATCH", "/scripts/0", {"title": "T"}),
    ("PATCH", "/scripts/abc", {"title": "T"}),
    ("PATCH", "/scripts/99999999999999999999999", {"title": "T"}),
    ("POST", "/scripts/{script}/sections", {"kind": "chapter"}),
    ("POST", "/scripts/{script}/sections", {"kind": "act", "parentId": "1"}),
    ("POST", "/scripts/{script}/sections", {"kind": "act", "parentId": 0}),
    ("POST", "/scripts/{script}/sections", {"kind": "act", "position": 0}),
    ("POST", "/scripts/{script}/sections", {"kind": "act", "position": 99}),
    ("POST", "/scripts/{script}/sections", {"kind": "scene", "heading": {"prefix": "IN"}}),
    ("POST", "/scripts/{script}/sections", {"kind": "scene", "heading": {"where": "x"}}),
    ("POST", "/scripts/{script}/sections", {"kind": "act", "title": "t" * 301}),
    ("POST", "/scripts/999/sections", {"kind": "act"}),
    ("PATCH", "/sections/{section}", {"kind": None}),
    ("PATCH", "/sections/{section}", {"parentId": 2**63}),
    ("POST", "/scripts/{script}/transitions", {"text": ""}),
    ("POST", "/scripts/{script}/transitions", {"text": "CUT", "forced": "yes"}),
    ("POST", "/scripts/{script}/transitions", {"text": "CUT", "sectionId": 1.0}),
    ("PATCH", "/transitions/{transition}", {"forced": None}),
    ("PATCH", "/transitions/{transition}", {"text": "t" * 201}),
    ("POST", "/scripts/{script}/markup", {"kind": "pageBreak", "text": "x"}),
    ("POST", "/scripts/{script}/markup", {"kind": "note"}),
    ("POST", "/scripts/{script}/markup", {"kind": "note", "text": ""}),
    ("POST", "/scripts/{script}/markup", {"kind": "lyric", "text": "l" * 10_001}),
    ("POST", "/scripts/{script}/markup", {"kind": "transition", "text": "CUT TO:"}),
    ("POST", "/scripts/{script}/markup", {"kind": "note", "text": 5}),
    ("POST", "/scripts/{script}/markup", {"kind": "note", "text": "n", "sectionId": "1"}),
    ("POST", "/scripts/{script}/markup", {"kind": "note", "text": "n", "sectionId": 999}),
    ("POST", "/scripts/{script}/markup", {"kind": "note", "text": "n", "forced": True}),
    ("POST", "/scripts/999/markup", {"kind": "note", "text": "n"}),
    ("PATCH", "/markup/{markup}", {"text": "a page break has no text"}),
    ("PATCH", "/markup/{markup}", {"kind": "note"}),
    ("PATCH", "/markup/{markup}", {"text": None}),
    ("PATCH", "/markup/{markup}", {"sectionId": 0}),
    ("PATCH", "/markup/999", {"text": "x"}),
    ("DELETE", "/markup/abc", None),
    ("POST", "/markup/{markup}/restore?version=5", None),
    ("POST", "/markup/{markup}/restore", None),
    ("DELETE", "/sections/{section}?cascade=maybe", None),
    ("DELETE", "/transitions/{transition}?comment=" + "c" * 2001, None),
    ("DELETE", "/transitions/-1", None),
    ("POST", "/scripts/{script}/restore", None),
    ("POST", "/scripts/{script}/restore?version=0", None),
    ("POST", "/sections/{section}/restore?version=x", None),
    ("POST", "/transitions/{transition}/restore?version=99", None),
    ("POST", "/scripts/{script}/elements/batch", {"elements": [{"kind": "act"}]}),
    ("POST", "/scripts/{script}/elements/batch", {"elements": "all"}),
]
BAD_READS = [
    "/scripts?limit=0",
    "/scripts?offset=-1",
    "/scripts?sort=author",
    "/scripts?title=",
    "/scripts/x",
    "/scripts/{script}/sections?kind=chapter",
    "/scripts/{script}/sections?parentId=zero",
    "/scripts/999/transitions",
    "/sections/0",
    "/transitions/2",
    "/scripts/{script}/markup?kind=action",
    "/scripts/{script}/markup?sectionId=-1",
    "/scripts/999/markup",
    "/markup/2",
    "/nothing-here",
]


@pytest.fixture
async def seeded(app: FastAPI, client: httpx.AsyncClient) -> dict[str, int]:
    return await one_of_each(client)


async def snapshot(app: FastAPI, client: httpx.AsyncClient) -> Any:
    scripts = (await client.get(f"{API}/scripts")).json()
    return await row_counts(app), await outbox_rows(app), scripts


async def test_bad_writes_are_4xx_problems_and_change_nothing(
    app: FastAPI, client: httpx.AsyncClient, seeded: dict[str, int]
) -> None:
    before = await snapshot(app, client)
    for method, path, body in BAD_WRITES:
        response = await client.request(method, API + path.format(**seeded), json=body)
        assert 400 <= response.status_code < 500, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == response.status_code
    assert await snapshot(app, client) == before


async def test_bad_reads_are_4xx_problems(
    client: httpx.AsyncClient, seeded: dict[str, int]
) -> None:
    for path in BAD_READS:
        response = await client.get(API + path.format(**seeded))
        assert 400 <= response.status_code < 500, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def test_bodies_that_are_not_json_objects_change_nothing(
    app: FastAPI, client: httpx.AsyncClient, seeded: dict[str, int]
) -> None:
    before = await snapshot(app, client)
    huge = b'{"title": "T", "description": "' + b"x" * 2_000_000 + b'"}'
    for content, content_type, status in [
        (b"{not json", "application/json", 400),
        (b"title=x", "application/x-www-form-urlencoded", 415),
        (b"null", "application/json", 422),
        (huge, "application/json", 413),
    ]:
        response = await client.post(
            f"{API}/scripts", content=content, headers={"content-type": content_type}
        )
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert await snapshot(app, client) == before
