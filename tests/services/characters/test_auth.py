"""Reads need `reader`, writes `writer`; every operation on characters, actions and lines
refuses anonymous callers (and strangers) before anything is written or numbered."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.services.characters.conftest import client_for
from tests.services.characters.support import (
    create_action,
    create_character,
    create_line,
    outbox_rows,
    row_counts,
    stage,
)
from tests.services.scripts.support import API, reading_order
from tests.support.tokens import LocalIssuer

TAGS = {"characters", "actions", "lines"}
WRITES: list[tuple[str, str, Any]] = [
    ("POST", "/characters", {"scriptId": "{script}", "name": "ANN"}),
    ("PATCH", "/characters/{character}", {"name": "ANN"}),
    ("PUT", "/characters/{character}", {"name": "ANN"}),
    ("DELETE", "/characters/{character}", None),
    ("POST", "/characters/{character}/restore?version=1", None),
    ("POST", "/actions", {"scriptId": "{script}", "text": "Rain."}),
    ("PATCH", "/actions/{action}", {"text": "Snow."}),
    ("DELETE", "/actions/{action}", None),
    ("POST", "/actions/{action}/restore?version=1", None),
    ("POST", "/lines", {"scriptId": "{script}", "characterId": "{character}", "text": "Hi."}),
    ("PATCH", "/lines/{line}", {"text": "Bye."}),
    ("DELETE", "/lines/{line}", None),
    ("POST", "/lines/{line}/restore?version=1", None),
]
READS = [
    "/characters?scriptId={script}",
    "/characters/scripts/{script}",
    "/characters/{character}",
    "/actions?scriptId={script}",
    "/actions/{action}",
    "/lines?scriptId={script}",
    "/lines/{line}",
]


def filled(body: Any, ids: dict[str, int]) -> Any:
    """``body`` with its "{name}" placeholders replaced by the seeded ids."""
    if body is None:
        return None
    return {
        key: ids[value[1:-1]] if isinstance(value, str) and value.startswith("{") else value
        for key, value in body.items()
    }


@pytest.fixture
async def seeded(client: httpx.AsyncClient, scripts: httpx.AsyncClient) -> dict[str, int]:
    at = await stage(scripts)
    character = await create_character(client, at.script, "BOB")
    action = await create_action(client, at.script, characterId=character["id"])
    line = await create_line(client, at.script, character["id"])
    return {
        "script": at.script,
        "character": character["id"],
        "action": action["id"],
        "line": line["id"],
    }


async def state(app: FastAPI, sequence: httpx.AsyncClient, script: int) -> Any:
    return await row_counts(app), await outbox_rows(app), await reading_order(sequence, script)


async def test_a_reader_reads_but_cannot_write_and_nothing_changes(
    app: FastAPI,
    reader_client: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
    seeded: dict[str, int],
) -> None:
    before = await state(app, sequence, seeded["script"])
    for path in READS:
        response = await reader_client.get(API + path.format(**seeded))
        assert response.status_code == 200, (path, response.text)
    for method, path, body in WRITES:
        response = await reader_client.request(
            method, API + path.format(**seeded), json=filled(body, seeded)
        )
        assert response.status_code == 403, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert await state(app, sequence, seeded["script"]) == before


def own_operations(app: FastAPI) -> list[tuple[str, str]]:
    """This suite's operations (paraphrases and batch have their own suites)."""
    return [
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
        if TAGS & set(operation.get("tags", ()))
    ]


async def test_every_operation_refuses_anonymous_callers(app: FastAPI) -> None:
    operations = own_operations(app)
    assert len(operations) == len(WRITES) + len(READS)
    async with client_for(app, {}) as anonymous:
        for method, template in operations:
            path = re.sub(r"\{\w+\}", "1", template)
            response = await anonymous.request(method, path, json={})
            assert response.status_code == 401, (method, template, response.text)
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.headers["content-type"] == "application/problem+json"


async def test_a_stranger_token_is_refused_before_anything_is_asked(
    app: FastAPI, issuer: LocalIssuer, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    """Signed by another key: refused here; nothing written, nothing numbered."""
    at = await stage(scripts)
    stranger = LocalIssuer(issuer.settings, kid=issuer.kid)
    async with client_for(app, stranger.headers("writer")) as http:
        for path, body in (
            ("/characters", {"scriptId": at.script, "name": "ANN"}),
            ("/actions", {"scriptId": at.script, "text": "Rain."}),
        ):
            response = await http.post(API + path, json=body)
            assert response.status_code == 401, response.text
    assert set((await row_counts(app)).values()) == {0}
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("section", at.scene),
    ]
