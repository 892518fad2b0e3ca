"""Bad input on every endpoint: a 4xx problem+json, and nothing changed (asserted: row counts,
outbox, reading orders, versions, and every element as listed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.services.characters.support import (
    create_action,
    create_character,
    create_line,
    outbox_rows,
    row_counts,
    stage,
)
from tests.services.scripts.support import API, reading_order

Write = tuple[str, str, Any]
BAD_NAMES = [
    "",
    "x" * 121,
    " BOB",
    "BOB ",
    "\tBOB",
    "BOB\n",
    "BOB\nSMITH",
    "BOB\rSMITH",
    "BOB\r\nSMITH",
    "BOB\x0bSMITH",
    "BOB\x0cSMITH",
    "BOB\x85SMITH",
    "BOB\u2028SMITH",
    "BOB\u2029SMITH",
    "BOB\x00",
    "\x00",
]


@dataclass(frozen=True)
class Seeded:
    """Script A (with a scene, BOB, an action and a line of his) and script B (likewise)."""

    a: int
    a_scene: int
    bob: int
    action: int
    line: int
    b: int
    b_scene: int
    otto: int
    b_action: int
    b_line: int


@pytest.fixture
async def seeded(client: httpx.AsyncClient, scripts: httpx.AsyncClient) -> Seeded:
    a = await stage(scripts, "A")
    b = await stage(scripts, "B")
    bob = await create_character(client, a.script, "BOB", aliases=["ROBERT"])
    otto = await create_character(client, b.script, "OTTO")
    action = await create_action(client, a.script, sectionId=a.scene, characterId=bob["id"])
    b_action = await create_action(client, b.script, sectionId=b.scene)
    line = await create_line(client, a.script, bob["id"], sectionId=a.scene)
    b_line = await create_line(client, b.script, otto["id"])
    return Seeded(
        a.script,
        a.scene,
        bob["id"],
        action["id"],
        line["id"],
        b.script,
        b.scene,
        otto["id"],
        b_action["id"],
        b_line["id"],
    )


def character_writes(s: Seeded) -> list[Write]:
    new = {"scriptId": s.a, "name": "NEW"}
    bob = f"/characters/{s.bob}"
    return [
        ("POST", "/characters", {}),
        ("POST", "/characters", ["name"]),
        ("POST", "/characters", {"name": "NEW"}),
        ("POST", "/characters", {**new, "scriptId": str(s.a)}),
        ("POST", "/characters", {**new, "scriptId": float(s.a)}),
        ("POST", "/characters", {**new, "scriptId": True}),
        ("POST", "/characters", {**new, "scriptId": 0}),
        ("POST", "/characters", {**new, "scriptId": 2**63}),
        ("POST", "/characters", {**new, "scriptId": 99_999}),
        ("POST", "/characters", {**new, "scriptId": None}),
        ("POST", "/characters", {**new, "name": 5}),
        ("POST", "/characters", {**new, "name": ["NEW"]}),
        *(("POST", "/characters", {**new, "name": name}) for name in BAD_NAMES),
        *(("POST", "/characters", {**new, "aliases": [name]}) for name in BAD_NAMES),
        ("POST", "/characters", {**new, "aliases": [f"ALIAS {i}" for i in range(21)]}),
        ("POST", "/characters", {**new, "aliases": "MAGGIE"}),
        ("POST", "/characters", {**new, "aliases": [5]}),
        ("POST", "/characters", {**new, "aliases": ["NEW"]}),
        ("POST", "/characters", {**new, "aliases": ["M", "m"]}),
        ("POST", "/characters", {**new, "name": "robert"}),  # BOB's alias: 409
        ("POST", "/characters", {**new, "description": "d" * 10_001}),
        ("POST", "/characters", {**new, "description": None}),
        ("POST", "/characters", {**new, "description": "nul\x00"}),
        ("POST", "/characters", {**new, "unknown": 1}),
        ("POST", "/characters", {**new, "id": 77}),
        ("POST", "/characters", {**new, "sequenceNumber": 1}),
        ("POST", "/characters", {**new, "position": 0}),
        ("POST", "/characters", {**new, "position": "3"}),
        ("POST", "/characters", {**new, "position": 99}),
        ("POST", "/characters", {**new, "comment": "c" * 2001}),
        ("PATCH", bob, {"name": None}),
        ("PATCH", bob, {"aliases": None}),
        *(("PATCH", bob, {"name": name}) for name in BAD_NAMES),
        ("PATCH", bob, {"aliases": [f"ALIAS {i}" for i in range(21)]}),
        ("PATCH", bob, {"aliases": ["BOB"]}),
        ("PATCH", bob, {"name": "otto", "scriptId": s.b}),
        ("PATCH", bob, {"scriptId": s.b}),
        ("PATCH", bob, {"id": 3}),
        ("PATCH", bob, {"description": "\x00"}),
        ("PATCH", "/characters/abc", {"name": "X"}),
        ("PATCH", "/characters/0", {"name": "X"}),
        ("PATCH", "/characters/99999999999999999999999", {"name": "X"}),
        ("PATCH", "/characters/99999", {"name": "X"}),
        ("PUT", bob, {}),
        ("PUT", bob, {"description": "no name"}),
        ("PUT", bob, {"name": "BOB", "scriptId": s.a}),
        ("PUT", bob, {"name": "BOB\n"}),
        ("PUT", "/characters/99999", {"name": "X"}),
        ("DELETE", bob, None),  # his action and line name him: 409
        ("DELETE", "/characters/abc", None),
        ("DELETE", "/characters/-1", None),
        ("DELETE", "/characters/99999", None),
        ("DELETE", bob + "?comment=" + "c" * 2001, None),
        ("POST", bob + "/restore", None),
        ("POST", bob + "/restore?version=0", None),
        ("POST", bob + "/restore?version=x", None),
        ("POST", bob + "/restore?version=1", None),  # he has no versions yet
        ("POST", bob + "/restore?version=1&position=0", None),
        ("POST", "/characters/99999/restore?version=1", None),
    ]


def action_writes(s: Seeded) -> list[Write]:
    new = {"scriptId": s.a, "text": "Rain."}
    action = f"/actions/{s.action}"
    return [
        ("POST", "/actions", {}),
        ("POST", "/actions", {"scriptId": s.a}),
        ("POST", "/actions", {"text": "Rain."}),
        ("POST", "/actions", {**new, "scriptId": str(s.a)}),
        ("POST", "/actions", {**new, "scriptId": 99_999}),
        ("POST", "/actions", {**new, "text": ""}),
        ("POST", "/actions", {**new, "text": "t" * 10_001}),
        ("POST", "/actions", {**new, "text": 5}),
        ("POST", "/actions", {**new, "text": "nul\x00"}),
        ("POST", "/actions", {**new, "forced": "yes"}),
        ("POST", "/actions", {**new, "forced": 1}),
        ("POST", "/actions", {**new, "sectionId": str(s.a_scene)}),
        ("POST", "/actions", {**new, "sectionId": float(s.a_scene)}),
        ("POST", "/actions", {**new, "sectionId": s.b_scene}),  # B's section on A's action
        ("POST", "/actions", {"scriptId": s.b, "text": "x", "sectionId": s.a_scene}),
        ("POST", "/actions", {**new, "sectionId": 99_999}),
        ("POST", "/actions", {**new, "characterId": str(s.bob)}),
        ("POST", "/actions", {**new, "characterId": s.otto}),
        ("POST", "/actions", {"scriptId": s.b, "text": "x", "characterId": s.bob}),
        ("POST", "/actions", {**new, "characterId": 99_999}),
        ("POST", "/actions", {**new, "position": 0}),
        ("POST", "/actions", {**new, "position": 99}),
        ("POST", "/actions", {**new, "position": 2.0}),
        ("POST", "/actions", {**new, "unknown": True}),
        ("POST", "/actions", {**new, "speechId": s.line}),
        ("PATCH", action, {"text": None}),
        ("PATCH", action, {"forced": None}),
        ("PATCH", action, {"text": ""}),
        ("PATCH", action, {"text": "\x00"}),
        ("PATCH", action, {"sectionId": s.b_scene}),
        ("PATCH", action, {"characterId": s.otto}),
        ("PATCH", action, {"characterId": "1"}),
        ("PATCH", action, {"scriptId": s.b}),
        ("PATCH", f"/actions/{s.b_action}", {"sectionId": s.a_scene}),
        ("PATCH", f"/actions/{s.b_action}", {"characterId": s.bob}),
        ("PATCH", "/actions/99999", {"text": "x"}),
        ("PATCH", "/actions/abc", {"text": "x"}),
        ("DELETE", "/actions/abc", None),
        ("DELETE", "/actions/99999", None),
        ("POST", action + "/restore", None),
        ("POST", action + "/restore?version=5", None),
        ("POST", action + "/restore?version=-1", None),
        ("POST", "/actions/99999/restore?version=1", None),
    ]


def line_writes(s: Seeded) -> list[Write]:
    new = {"scriptId": s.a, "characterId": s.bob, "text": "Hi."}
    line = f"/lines/{s.line}"
    return [
        ("POST", "/lines", {}),
        ("POST", "/lines", {"scriptId": s.a, "text": "Hi."}),
        ("POST", "/lines", {"scriptId": s.a, "characterId": s.bob}),
        ("POST", "/lines", {**new, "scriptId": 99_999}),
        ("POST", "/lines", {**new, "scriptId": "1"}),
        ("POST", "/lines", {**new, "characterId": str(s.bob)}),
        ("POST", "/lines", {**new, "characterId": s.otto}),  # B's character on A's line
        ("POST", "/lines", {"scriptId": s.b, "characterId": s.bob, "text": "x"}),
        ("POST", "/lines", {**new, "characterId": 99_999}),
        ("POST", "/lines", {**new, "text": ""}),
        ("POST", "/lines", {**new, "text": "t" * 10_001}),
        ("POST", "/lines", {**new, "text": "\x00"}),
        ("POST", "/lines", {**new, "sectionId": s.b_scene}),
        ("POST", "/lines", {**new, "speechId": str(s.line)}),
        ("POST", "/lines", {**new, "speechId": s.b_line}),  # B's speech
        ("POST", "/lines", {**new, "speechId": 99_999}),
        ("POST", "/lines", {**new, "speechId": 0}),
        ("POST", "/lines", {**new, "parenthetical": "p" * 201}),
        ("POST", "/lines", {**new, "parenthetical": "(beat)"}),
        ("POST", "/lines", {**new, "parenthetical": "beat\nthen"}),
        ("POST", "/lines", {**new, "parenthetical": "beat\u2028then"}),
        ("POST", "/lines", {**new, "parenthetical": "beat\x00"}),
        ("POST", "/lines", {**new, "parenthetical": None}),
        ("POST", "/lines", {**new, "extensions": "V.O."}),
        ("POST", "/lines", {**new, "extensions": [""]}),
        ("POST", "/lines", {**new, "extensions": ["(V.O.)"]}),
        ("POST", "/lines", {**new, "extensions": ["V.O.\n"]}),
        ("POST", "/lines", {**new, "extensions": ["V.O.\x85"]}),
        ("POST", "/lines", {**new, "extensions": ["x" * 41]}),
        ("POST", "/lines", {**new, "extensions": ["A", "B", "C", "D", "E"]}),
        ("POST", "/lines", {**new, "extensions": ["V.O.\x00"]}),
        ("POST", "/lines", {**new, "dual": "true"}),
        ("POST", "/lines", {**new, "dual": 1}),
        ("POST", "/lines", {**new, "unknown": 1}),
        ("POST", "/lines", {**new, "forced": True}),
        ("POST", "/lines", {**new, "position": 0}),
        ("POST", "/lines", {**new, "position": 99}),
        ("PATCH", line, {"characterId": None}),
        ("PATCH", line, {"speechId": None}),
        ("PATCH", line, {"text": None}),
        ("PATCH", line, {"dual": None}),
        ("PATCH", line, {"extensions": None}),
        ("PATCH", line, {"parenthetical": None}),
        ("PATCH", line, {"characterId": s.otto}),
        ("PATCH", line, {"sectionId": s.b_scene}),
        ("PATCH", line, {"speechId": s.b_line}),
        ("PATCH", line, {"extensions": ["A", "B", "C", "D", "E"]}),
        ("PATCH", line, {"scriptId": s.b}),
        ("PATCH", f"/lines/{s.b_line}", {"characterId": s.bob}),
        ("PATCH", "/lines/99999", {"text": "x"}),
        ("DELETE", "/lines/zero", None),
        ("DELETE", "/lines/99999", None),
        ("POST", line + "/restore", None),
        ("POST", line + "/restore?version=3", None),
        ("POST", "/lines/99999/restore?version=1", None),
    ]


def bad_reads(s: Seeded) -> list[str]:
    return [
        "/characters",
        "/characters?scriptId=abc",
        "/characters?scriptId=0",
        "/characters?scriptId=99999",
        f"/characters?scriptId={s.a}&name=",
        f"/characters?scriptId={s.a}&name=" + "x" * 121,
        f"/characters?scriptId={s.a}&name=BOB%00",
        f"/characters?scriptId={s.a}&limit=0",
        f"/characters?scriptId={s.a}&offset=-1",
        "/characters/scripts/abc",
        "/characters/scripts/0",
        "/characters/scripts/99999",
        "/characters/x",
        "/characters/0",
        "/characters/99999",
        "/actions",
        "/actions?scriptId=x",
        "/actions?scriptId=99999",
        "/actions?characterId=99999",
        f"/actions?scriptId={s.a}&keyword=",
        f"/actions?scriptId={s.a}&keyword=" + "k" * 201,
        f"/actions?scriptId={s.a}&keyword=%00",
        f"/actions?scriptId={s.a}&sectionId=-1",
        "/actions/abc",
        "/actions/99999",
        "/lines",
        f"/lines?speechId={s.line}",
        f"/lines?sectionId={s.a_scene}",
        f"/lines?scriptId={s.a}&speechId=abc",
        f"/lines?scriptId={s.a}&characterId=1.5",
        f"/lines?scriptId={s.a}&keyword=a%00b",
        "/lines?scriptId=99999",
        "/lines?characterId=99999",
        "/lines/abc",
        "/lines/99999",
    ]


async def snapshot(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient, s: Seeded
) -> Any:
    listed = []
    for script in (s.a, s.b):
        for path in ("/characters", "/actions", "/lines"):
            response = await client.get(f"{API}{path}", params={"scriptId": script})
            listed.append(response.json())
        listed.append(await reading_order(sequence, script))
    versions = []
    for kind, element in (("character", s.bob), ("action", s.action), ("spokenWord", s.line)):
        response = await sequence.get(f"{API}/versions/{kind}/{element}")
        versions.append(response.json()["totalCount"])
    return await row_counts(app), await outbox_rows(app), listed, versions


@pytest.mark.parametrize("writes", [character_writes, action_writes, line_writes])
async def test_bad_writes_are_4xx_problems_and_change_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
    seeded: Seeded,
    writes: Any,
) -> None:
    before = await snapshot(app, client, sequence, seeded)
    for method, path, body in writes(seeded):
        response = await client.request(method, API + path, json=body)
        assert 400 <= response.status_code < 500, (method, path, body, response.text)
        assert response.headers["content-type"] == "application/problem+json", (method, path)
        assert response.json()["status"] == response.status_code
    assert await snapshot(app, client, sequence, seeded) == before


async def test_ids_of_another_script_and_missing_scripts_are_422(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    """Not 404 or 409: the body itself is wrong, and the field says where."""
    s = seeded
    for path, body, field in (
        ("/characters", {"scriptId": 99_999, "name": "N"}, "scriptId"),
        ("/actions", {"scriptId": 99_999, "text": "x"}, "scriptId"),
        ("/lines", {"scriptId": 99_999, "characterId": s.bob, "text": "x"}, "scriptId"),
        ("/actions", {"scriptId": s.b, "text": "x", "sectionId": s.a_scene}, "sectionId"),
        ("/actions", {"scriptId": s.b, "text": "x", "characterId": s.bob}, "characterId"),
        ("/lines", {"scriptId": s.b, "characterId": s.bob, "text": "x"}, "characterId"),
        (
            "/lines",
            {"scriptId": s.a, "characterId": s.bob, "text": "x", "sectionId": s.b_scene},
            "sectionId",
        ),
        (
            "/lines",
            {"scriptId": s.a, "characterId": s.bob, "text": "x", "speechId": s.b_line},
            "speechId",
        ),
    ):
        response = await client.post(API + path, json=body)
        assert response.status_code == 422, (path, body, response.text)
        assert response.json()["field"] == field, (path, body, response.text)


async def test_bad_reads_are_4xx_problems(client: httpx.AsyncClient, seeded: Seeded) -> None:
    for path in bad_reads(seeded):
        response = await client.get(API + path)
        assert 400 <= response.status_code < 500, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json", path


async def test_bodies_that_are_not_json_objects_change_nothing(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient, seeded: Seeded
) -> None:
    before = await snapshot(app, client, sequence, seeded)
    huge = b'{"scriptId": 1, "text": "' + b"x" * 2_000_000 + b'"}'
    for path in ("/characters", "/actions", "/lines", f"/lines/{seeded.line}"):
        method = "PATCH" if path.startswith("/lines/") else "POST"
        for content, content_type, status in (
            (b"{not json", "application/json", 400),
            (b"name=x", "application/x-www-form-urlencoded", 415),
            (b"null", "application/json", 422),
            (b'"text"', "application/json", 422),
            (b'{"text": "a\\u0000b"}', "application/json", 422),
            (b'{"name": "BOB\\ud800", "text": "\\udfff"}', "application/json", 422),
            (huge, "application/json", 413),
        ):
            response = await client.request(
                method, API + path, content=content, headers={"content-type": content_type}
            )
            assert response.status_code == status, (path, content[:40], response.text)
            assert response.headers["content-type"] == "application/problem+json"
    assert await snapshot(app, client, sequence, seeded) == before
