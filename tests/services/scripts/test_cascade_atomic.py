"""A cascading delete leaves Central Sequence all or nothing: if it goes down at any point of the
request, the answer is 503, every row is still there and the reading order is unchanged and
complete (no visible element without its number); once it is back, the delete works."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Self

import aiohttp
import httpx
import pytest
from aiohttp import web
from fastapi import FastAPI

from fountainai.core.clients import SequenceClient
from tests.services.scripts.support import (
    API,
    create_script,
    create_section,
    json_of,
    outbox_rows,
    reading_order,
    row_counts,
)
from tests.support.fake_server import FakeServer
from tests.support.platform import FAST_RETRY, ServedApp

_HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection"}


class FlakySequence(FakeServer):
    """Passes every request on to the real Central Sequence until ``fail_from`` requests have
    passed; from then on answers each with 503 (Central Sequence gone down mid-request)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.fail_from: int | None = None
        self.seen: list[tuple[str, str]] = []
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession()
        return await super().__aenter__()

    async def __aexit__(self, *exc_info: object) -> None:
        await super().__aexit__(*exc_info)
        if self._session is not None:
            await self._session.close()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((request.method, request.path))
        if self.fail_from is not None and len(self.seen) > self.fail_from:
            return web.json_response(
                {"status": 503, "title": "Service unavailable"},
                status=503,
                content_type="application/problem+json",
            )
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        async with self._session.request(
            request.method,
            f"{self.upstream}{request.path_qs}",
            data=await request.read(),
            headers=headers,
        ) as answer:
            body = await answer.read()
            kept = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP}
            return web.Response(body=body, status=answer.status, headers=kept)


@pytest.fixture
async def flaky(app: FastAPI, sequence_server: ServedApp) -> AsyncIterator[FlakySequence]:
    """The scripts app talks to Central Sequence through ``FlakySequence``."""
    direct = app.state.sequence
    async with (
        FlakySequence(sequence_server.url) as proxy,
        SequenceClient(proxy.url, retry=FAST_RETRY) as through_proxy,
    ):
        app.state.sequence = through_proxy
        try:
            yield proxy
        finally:
            app.state.sequence = direct


async def story(client: httpx.AsyncClient) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A script: an opening scene, an act of two scenes with transitions and markup (the
    cascade's target, 11 elements, interleaved in reading order), then a closing scene."""
    script = await create_script(client)
    await create_section(client, script["id"], title="opening")
    elements: list[dict[str, Any]] = [
        {"elementType": "section", "kind": "act", "title": "ACT I", "ref": "act"},
        {"elementType": "section", "kind": "scene", "parentRef": "act", "ref": "s1"},
        {"elementType": "note", "text": "lights low", "sectionRef": "s1"},
        {"elementType": "transition", "text": "CUT TO:", "sectionRef": "s1"},
        {"elementType": "section", "kind": "scene", "parentRef": "act", "ref": "s2"},
        {"elementType": "centered", "text": "THE END?", "sectionRef": "s2"},
        {"elementType": "synopsis", "text": "they argue", "sectionRef": "s2"},
        {"elementType": "transition", "text": "SMASH CUT TO:", "sectionRef": "s2"},
        {"elementType": "pageBreak", "sectionRef": "s2"},
        {"elementType": "lyric", "text": "la la", "sectionRef": "act"},
        {"elementType": "transition", "text": "FADE OUT.", "sectionRef": "act"},
    ]
    url = f"{API}/scripts/{script['id']}/elements/batch"
    created = await json_of(await client.post(url, json={"elements": elements}), 201)
    await create_section(client, script["id"], title="closing")
    return script, created["elements"]


async def every_element_is_numbered(client: httpx.AsyncClient, script_id: int) -> None:
    sections = await json_of(await client.get(f"{API}/scripts/{script_id}/sections"), 200)
    assert all(s["sequenceNumber"] is not None for s in sections["items"])
    for kind in ("transitions", "markup"):
        page = await json_of(await client.get(f"{API}/scripts/{script_id}/{kind}"), 200)
        assert page["items"]
        assert all(e["sequenceNumber"] is not None for e in page["items"]), kind


# The delete asks Central Sequence for one snapshot per element (11), then one batch removal.
@pytest.mark.parametrize("fail_from", [0, 5, 10, 11])
async def test_sequence_down_mid_cascade_changes_nothing_then_the_delete_works(
    app: FastAPI,
    client: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
    flaky: FlakySequence,
    fail_from: int,
) -> None:
    script, doomed = await story(client)
    before = await row_counts(app)
    order = await reading_order(sequence, script["id"])
    assert len(order) == 14
    delete = f"{API}/sections/{doomed[0]['elementId']}"

    flaky.seen.clear()
    flaky.fail_from = fail_from
    refused = await client.delete(delete, params={"cascade": "true", "comment": "cut act"})

    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert await row_counts(app) == before
    assert await reading_order(sequence, script["id"]) == order
    assert "DELETE" not in {method for method, _ in flaky.seen}  # no per-element removals
    flaky.fail_from = None  # back up
    await every_element_is_numbered(client, script["id"])

    flaky.seen.clear()
    deleted = await client.delete(delete, params={"cascade": "true", "comment": "cut act"})

    assert deleted.status_code == 204, deleted.text
    assert [path for _, path in flaky.seen].count(f"{API}/sequence/batch/remove") == 1
    assert "DELETE" not in {method for method, _ in flaky.seen}
    assert await reading_order(sequence, script["id"]) == [order[0], order[1], order[-1]]
    after = await row_counts(app)
    assert (after["sections"], after["transitions"], after["markup"]) == (2, 0, 0)
    deletes = [row for row in await outbox_rows(app) if row[1] == "delete"]
    assert sorted(deletes) == sorted(
        (f"{e['elementType']}:{e['elementId']}", "delete") for e in doomed
    )


async def test_a_cascade_is_one_batch_removal(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient, flaky: FlakySequence
) -> None:
    script, doomed = await story(client)
    flaky.seen.clear()

    deleted = await client.delete(
        f"{API}/sections/{doomed[0]['elementId']}", params={"cascade": True}
    )

    assert deleted.status_code == 204, deleted.text
    assert flaky.seen == [("POST", f"{API}/sequence/version")] * 11 + [
        ("POST", f"{API}/sequence/batch/remove")
    ]
    audit = await json_of(
        await sequence.get(
            f"{API}/audit", params={"scriptId": script["id"], "action": "remove", "limit": 50}
        ),
        200,
    )
    assert audit["totalCount"] == 11
