"""SequenceClient.remove_batch: against the real Central Sequence (both backends), and retried
like every idempotent call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from fountainai.core import PermissionDenied, UnprocessableEntity, UpstreamUnavailable
from fountainai.core.clients import ElementRef, SequenceClient
from fountainai.core.elements import ElementType
from tests.core.clients.support import FAST_RETRY, SequenceServer
from tests.support.fake_server import FakeServer

SCRIPT = 7
ACTION = ElementType.ACTION
NOTE = ElementType.NOTE
TOKEN = {"Authorization": "Bearer t"}


def refs(*ids: int, kind: ElementType = ACTION) -> list[ElementRef]:
    return [ElementRef(element_type=kind, element_id=i) for i in ids]


async def order_of(sequence: SequenceClient, writer: dict[str, str]) -> list[int]:
    entries = await sequence.reading_order(SCRIPT, credentials=writer)
    assert [entry.sequence_number for entry in entries] == list(range(1, len(entries) + 1))
    return [entry.element_id for entry in entries]


async def test_removes_at_once_closes_the_gaps_and_skips_the_unnumbered(
    sequence: SequenceClient, writer: dict[str, str]
) -> None:
    await sequence.allocate_batch(SCRIPT, refs(1, 2, 3, 4, 5, 6), credentials=writer)

    removal = await sequence.remove_batch(
        SCRIPT, [*refs(5, 2), *refs(9, kind=NOTE)], comment="cut", credentials=writer
    )
    repeat = await sequence.remove_batch(SCRIPT, refs(5, 2), credentials=writer)

    assert (removal.script_id, removal.comment) == (SCRIPT, "cut")
    assert [(r.element_type, r.element_id, r.removed_sequence) for r in removal.removed] == [
        (ACTION, 5, 5),
        (ACTION, 2, 2),
    ]
    assert [(s.element_type, s.element_id) for s in removal.skipped] == [(NOTE, 9)]
    assert (repeat.removed, [s.element_id for s in repeat.skipped]) == ([], [5, 2])
    assert await order_of(sequence, writer) == [1, 3, 4, 6]


async def test_refusals_change_nothing(
    sequence: SequenceClient, sequence_server: SequenceServer, writer: dict[str, str]
) -> None:
    await sequence.allocate_batch(SCRIPT, refs(1, 2), credentials=writer)
    await sequence.allocate(ACTION, 3, script_id=8, credentials=writer)

    with pytest.raises(UnprocessableEntity, match="another script"):
        await sequence.remove_batch(SCRIPT, refs(1, 3), credentials=writer)
    with pytest.raises(UnprocessableEntity, match="twice"):
        await sequence.remove_batch(SCRIPT, refs(1, 1), credentials=writer)
    reader = sequence_server.credentials("reader")
    with pytest.raises(PermissionDenied):
        await sequence.remove_batch(SCRIPT, refs(1), credentials=reader)
    assert await order_of(sequence, writer) == [1, 2]


class Scripted(FakeServer):
    """Answers from a list of statuses (the last repeating); records what it was sent."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[tuple[str, str, Any]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.method, request.path, json.loads(await request.read())))
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        if status >= 400:
            return web.json_response(
                {"status": status}, status=status, content_type="application/problem+json"
            )
        answer = {"scriptId": SCRIPT, "removed": [], "skipped": [], "comment": ""}
        return web.json_response(answer, status=status)


@pytest.fixture
async def flaky() -> AsyncIterator[Scripted]:
    async with Scripted(503, 200) as server:
        yield server


async def test_retried_after_a_503_and_unavailable_when_it_stays_down(flaky: Scripted) -> None:
    async with SequenceClient(flaky.url, retry=FAST_RETRY) as client:
        removal = await client.remove_batch(SCRIPT, refs(1), comment="c", credentials=TOKEN)
        assert removal.removed == []
        assert [(method, path) for method, path, _ in flaky.requests] == [
            ("POST", "/api/v1/sequence/batch/remove")
        ] * 2
        assert flaky.requests[0][2] == {
            "scriptId": SCRIPT,
            "elements": [{"elementType": "action", "elementId": 1}],
            "comment": "c",
        }

        flaky.statuses = [503]
        with pytest.raises(UpstreamUnavailable, match="3 attempts"):
            await client.remove_batch(SCRIPT, refs(1), credentials=TOKEN)
