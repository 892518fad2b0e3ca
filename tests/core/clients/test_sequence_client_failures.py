"""How SequenceClient fails: retries where safe, and what each upstream failure becomes."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from fountainai.core import NotFound, UpstreamUnavailable
from fountainai.core.clients import BlockMove, SequenceClient
from fountainai.core.elements import ElementType
from fountainai.core.http import UpstreamBadResponse, UpstreamError
from tests.core.clients.support import FAST_RETRY
from tests.support.fake_server import FakeServer

WORD = ElementType.SPOKEN_WORD
TOKEN = {"Authorization": "Bearer t"}
PLACED = {"sequenceNumber": 1, "elementType": "spokenWord", "elementId": 1, "scriptId": 7}


class ScriptedSequence(FakeServer):
    """Answers from a script of (status, body) pairs, the last one repeating; records requests."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, Any]] = [(200, PLACED)]
        self.requests: list[tuple[str, str, dict[str, str]]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.method, request.path_qs, dict(request.headers)))
        status, body = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if status >= 400:
            return web.json_response(body, status=status, content_type="application/problem+json")
        return web.json_response(body, status=status)


@pytest.fixture
async def upstream() -> AsyncIterator[ScriptedSequence]:
    async with ScriptedSequence() as server:
        yield server


@pytest.fixture
async def client(upstream: ScriptedSequence) -> AsyncIterator[SequenceClient]:
    async with SequenceClient(upstream.url, retry=FAST_RETRY) as sequence_client:
        yield sequence_client


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_sequence_down_is_unavailable_fast() -> None:
    started = time.monotonic()
    async with SequenceClient(f"http://127.0.0.1:{unused_port()}", retry=FAST_RETRY) as client:
        with pytest.raises(UpstreamUnavailable) as down:
            await client.allocate(WORD, 1, script_id=7, credentials=TOKEN)
    assert time.monotonic() - started < 2
    assert down.value.status == 503
    assert down.value.headers == {"Retry-After": "5"}
    assert "3 attempts" in str(down.value.detail)


async def test_allocation_is_retried_after_a_503(
    client: SequenceClient, upstream: ScriptedSequence
) -> None:
    upstream.answers = [(503, {"status": 503}), (201, PLACED)]

    placed = await client.allocate(WORD, 1, script_id=7, credentials=TOKEN)

    assert placed.sequence_number == 1
    assert [method for method, _, _ in upstream.requests] == ["POST", "POST"]
    assert upstream.requests[1][2]["Authorization"] == "Bearer t"


async def test_version_creation_and_block_moves_get_one_attempt(
    client: SequenceClient, upstream: ScriptedSequence
) -> None:
    upstream.answers = [(503, {"status": 503})]

    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await client.create_version(WORD, 1, {"text": "Hi"}, credentials=TOKEN)
    move = BlockMove(from_sequence=1, count=1, to_sequence=2)
    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await client.reorder(7, move=move, credentials=TOKEN)
    assert [method for method, _, _ in upstream.requests] == ["POST", "PUT"]


async def test_a_500_is_unavailable_and_other_statuses_are_502(
    client: SequenceClient, upstream: ScriptedSequence
) -> None:
    upstream.answers = [
        (500, {"status": 500, "detail": "internal"}),
        (400, {"status": 400, "detail": "Malformed JSON body", "secret": "s3cr3t"}),
        (200, {"unexpected": True}),
    ]

    with pytest.raises(UpstreamUnavailable) as failed:
        await client.get_number(WORD, 1, credentials=TOKEN)
    assert failed.value.headers == {"Retry-After": "5"}
    with pytest.raises(UpstreamError) as refused:
        await client.get_number(WORD, 1, credentials=TOKEN)
    assert refused.value.status == 502
    assert "s3cr3t" not in f"{refused.value.detail} {refused.value.extra}"
    with pytest.raises(UpstreamBadResponse):
        await client.get_number(WORD, 1, credentials=TOKEN)


async def test_passed_on_errors_carry_only_the_detail(
    client: SequenceClient, upstream: ScriptedSequence
) -> None:
    detail = "spokenWord 1 has no sequence number"
    upstream.answers = [(404, {"status": 404, "detail": detail, "secret": "s3cr3t"})]

    with pytest.raises(NotFound) as missing:
        await client.remove(WORD, 1, comment="cut", credentials=TOKEN)

    assert missing.value.detail == detail
    assert (missing.value.extra, missing.value.headers) == ({}, {})
    assert upstream.requests[0][:2] == ("DELETE", "/api/v1/sequence/spokenWord/1?comment=cut")
