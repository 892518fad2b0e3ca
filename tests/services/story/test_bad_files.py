"""Files that are not screenplays (or are attacks) get a clear 4xx and leave nothing behind:
no script, no element, no import in the ledger."""

from __future__ import annotations

import os
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from tests.services.story.support import STORY, import_text
from tests.support.platform import ServedApp

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<FinalDraft DocumentType="Script" Version="5"><Content>
<Paragraph Type="Action"><Text>&lol4;</Text></Paragraph></Content></FinalDraft>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<FinalDraft DocumentType="Script" Version="5"><Content>
<Paragraph Type="Action"><Text>&xxe;</Text></Paragraph></Content></FinalDraft>"""

TRUNCATED_FDX = b"""<?xml version="1.0" encoding="UTF-8"?>
<FinalDraft DocumentType="Script" Version="5"><Content>
<Paragraph Type="Scene Heading"><Text>INT. HOUSE - DAY</Text></Paragraph>
<Paragraph Type="Action"><Text>Bob wa"""

BAD_FILES = {
    "billion laughs": (BILLION_LAUGHS, "fdx"),
    "external entity": (EXTERNAL_ENTITY, "fdx"),
    "truncated fdx": (TRUNCATED_FDX, "fdx"),
    "invalid utf-8": (b"INT. HOUSE - DAY\n\nBob \xff\xfe walks.\n", "fountain"),
    "binary garbage": (os.urandom(4096) + b"\x00" * 64, "fountain"),
    "wrong xml root": (b"<?xml version='1.0'?><html><body/></html>", "fdx"),
    "json not a screenplay": (b'{"format": "something else"}', "json"),
    "json text not a string": (b'{"text": 12}', "json"),
    "broken json": (b'{"text": "INT. HOUSE', "json"),
}


async def _nothing_left(
    service_client: Callable[[ServedApp], httpx.AsyncClient], scripts_server: ServedApp
) -> None:
    async with service_client(scripts_server) as scripts:
        listed = (await scripts.get("/api/v1/scripts")).json()
    assert listed["totalCount"] == 0


@pytest.mark.parametrize("name", sorted(BAD_FILES))
async def test_bad_file_is_refused_and_leaves_nothing(
    name: str,
    client: httpx.AsyncClient,
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    scripts_server: ServedApp,
) -> None:
    body, source_format = BAD_FILES[name]
    answer = await import_text(client, body, format=source_format)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["format"] == source_format
    assert "root:" not in problem["detail"]  # no file content leaked into the answer
    await _nothing_left(service_client, scripts_server)


async def test_a_50_mb_file_is_refused_with_413(
    client: httpx.AsyncClient,
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    scripts_server: ServedApp,
) -> None:
    line = b"Bob walks into the diner and orders a coffee, black, no sugar.\n\n"
    body = line * (50 * 1024 * 1024 // len(line))
    answer = await import_text(client, body, format="fountain")
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("application/problem+json")
    await _nothing_left(service_client, scripts_server)


@pytest.mark.parametrize("body", [b"", b"   \n\n  "])
async def test_an_empty_body_is_refused(client: httpx.AsyncClient, body: bytes) -> None:
    answer = await import_text(client, body)
    assert answer.status_code == 422
    assert "empty" in answer.json()["detail"]


async def test_unknown_format_is_refused(client: httpx.AsyncClient) -> None:
    answer = await import_text(client, "INT. HOUSE - DAY\n", format="pdf")
    assert answer.status_code == 422


async def test_readers_may_not_import_and_strangers_are_unauthenticated(
    app: FastAPI, reader_client: httpx.AsyncClient
) -> None:
    answer = await import_text(reader_client, "INT. HOUSE - DAY\n\nBob walks.\n")
    assert answer.status_code == 403
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://story.test") as anonymous:
        answer = await anonymous.post(f"{STORY}/import", content=b"INT. HOUSE - DAY\n")
    assert answer.status_code == 401
