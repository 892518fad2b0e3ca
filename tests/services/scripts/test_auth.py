"""Reads need `reader`, writes `writer`; every operation refuses anonymous callers."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.services.scripts.conftest import client_for
from tests.services.scripts.support import API, one_of_each, outbox_rows, row_counts
from tests.support.tokens import LocalIssuer

WRITES: list[tuple[str, str, Any]] = [
    ("POST", "/scripts", {"title": "T"}),
    ("PATCH", "/scripts/{script}", {"title": "T"}),
    ("PUT", "/scripts/{script}", {"title": "T"}),
    ("DELETE", "/scripts/{script}", None),
    ("POST", "/scripts/{script}/restore?version=1", None),
    ("POST", "/scripts/{script}/sections", {"kind": "act"}),
    ("PATCH", "/sections/{section}", {"title": "T"}),
    ("DELETE", "/sections/{section}", None),
    ("POST", "/sections/{section}/restore?version=1", None),
    ("POST", "/scripts/{script}/transitions", {"text": "CUT TO:"}),
    ("PATCH", "/transitions/{transition}", {"text": "T"}),
    ("DELETE", "/transitions/{transition}", None),
    ("POST", "/transitions/{transition}/restore?version=1", None),
    ("POST", "/scripts/{script}/markup", {"kind": "note", "text": "n"}),
    ("PATCH", "/markup/{markup}", {"text": "T"}),
    ("DELETE", "/markup/{markup}", None),
    ("POST", "/markup/{markup}/restore?version=1", None),
    (
        "POST",
        "/scripts/{script}/elements/batch",
        {"elements": [{"elementType": "section", "kind": "act"}]},
    ),
]
READS = [
    "/scripts",
    "/scripts/{script}",
    "/scripts/{script}/sections",
    "/scripts/{script}/section-ids",
    "/sections/{section}",
    "/scripts/{script}/transitions",
    "/transitions/{transition}",
    "/scripts/{script}/markup",
    "/markup/{markup}",
]


@pytest.fixture
async def seeded(client: httpx.AsyncClient) -> dict[str, int]:
    return await one_of_each(client)


async def test_a_reader_reads_but_cannot_write_and_nothing_changes(
    app: FastAPI, issuer: LocalIssuer, seeded: dict[str, int]
) -> None:
    before = (await row_counts(app), await outbox_rows(app))
    async with client_for(app, issuer.headers("reader")) as reader:
        for path in READS:
            assert (await reader.get(API + path.format(**seeded))).status_code == 200, path
        for method, path, body in WRITES:
            response = await reader.request(method, API + path.format(**seeded), json=body)
            assert response.status_code == 403, (method, path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
    assert (await row_counts(app), await outbox_rows(app)) == before


async def test_every_operation_refuses_anonymous_callers(app: FastAPI) -> None:
    operations = [
        (method, path)
        for path, item in app.openapi()["paths"].items()
        if path.startswith("/api/v1")
        for method in item
    ]
    assert len(operations) == len(WRITES) + len(READS)
    async with client_for(app, {}) as anonymous:
        for method, template in operations:
            path = re.sub(r"\{\w+Id\}", "1", template)
            response = await anonymous.request(method.upper(), path, json={})
            assert response.status_code == 401, (method, template, response.text)
            assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_stranger_token_is_refused_before_sequence_is_asked(
    app: FastAPI, issuer: LocalIssuer
) -> None:
    """Signed by another key: refused here, nothing written, nothing numbered."""
    stranger = LocalIssuer(issuer.settings, kid=issuer.kid)
    async with client_for(app, stranger.headers("writer")) as http:
        response = await http.post(f"{API}/scripts", json={"title": "T"})
    assert response.status_code == 401
    assert set((await row_counts(app)).values()) == {0}
