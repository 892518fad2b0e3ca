"""Discarding an unfinished import: every character, action, line and paraphrase of a script
still ``importing`` at the real Scripts service goes in one transaction and one removal at the
real Central Sequence, without versions; anything else is refused and changes nothing."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from fountainai.core.clients import ScriptsClient, SequenceClient
from tests.services.characters.conftest import client_for
from tests.services.characters.support import (
    create_action,
    create_character,
    create_line,
    outbox_rows,
    row_counts,
)
from tests.services.scripts.support import (
    API,
    create_script,
    create_section,
    json_of,
    reading_order,
)
from tests.support.platform import FAST_RETRY, ServedApp


@dataclass(frozen=True)
class Cast:
    script: int
    scene: int
    characters: list[int]
    actions: list[int]
    lines: list[int]
    paraphrases: list[int]


def closed_port_url() -> str:
    """An address nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def discard_url(script_id: int | str) -> str:
    return f"{API}/characters/scripts/{script_id}/elements"


async def paraphrase(client: httpx.AsyncClient, element_type: str, element_id: int) -> int:
    body = {"elementType": element_type, "elementId": element_id, "text": "In other words."}
    created = await json_of(await client.post(f"{API}/paraphrases", json=body), 201)
    return int(created["id"])


async def cast(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, *, importing: bool = True
) -> Cast:
    """A script with a scene, two characters, an action, a speech of two lines and paraphrases
    of a line and of the scene (an element of the Scripts service)."""
    script = (await create_script(scripts, title="Half", importing=importing))["id"]
    scene = (await create_section(scripts, script))["id"]
    ann = (await create_character(client, script, "ANN"))["id"]
    bob = (await create_character(client, script, "BOB"))["id"]
    action = (await create_action(client, script, sectionId=scene, characterId=ann))["id"]
    first = await create_line(client, script, ann, "Go.", sectionId=scene)
    second = await create_line(client, script, ann, "Now.", speechId=first["speechId"])
    paraphrases = [
        await paraphrase(client, "spokenWord", first["id"]),
        await paraphrase(client, "section", scene),
    ]
    return Cast(script, scene, [ann, bob], [action], [first["id"], second["id"]], paraphrases)


async def test_discard_deletes_every_element_of_the_import_and_nothing_else(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    doomed = await cast(client, scripts)
    kept = await cast(client, scripts)
    before = await row_counts(app)
    outbox_before = await outbox_rows(app)

    response = await client.delete(discard_url(doomed.script), params={"comment": "failed"})
    counts = await json_of(response, 200)
    assert counts == {"characters": 2, "actions": 1, "lines": 2, "paraphrases": 2}
    after = await row_counts(app)
    assert {kind: before[kind] - after[kind] for kind in counts} == counts
    assert await reading_order(sequence, doomed.script) == [
        ("script", doomed.script),
        ("section", doomed.scene),
    ]
    assert len(await reading_order(sequence, kept.script)) == 2 + 2 + 1 + 2
    # One deletion per element for search, and no version kept of any of them.
    deletions = (await outbox_rows(app))[len(outbox_before) :]
    assert sorted(deletions) == sorted(
        [(f"character:{i}", "delete") for i in doomed.characters]
        + [(f"action:{i}", "delete") for i in doomed.actions]
        + [(f"spokenWord:{i}", "delete") for i in doomed.lines]
        + [(f"paraphrase:{i}", "delete") for i in doomed.paraphrases]
    )
    for kind, element_id in [("character", doomed.characters[0]), ("action", doomed.actions[0])]:
        versions = await json_of(await sequence.get(f"{API}/versions/{kind}/{element_id}"), 200)
        assert versions["totalCount"] == 0
    assert (await client.get(f"{API}/characters/{doomed.characters[0]}")).status_code == 404

    # Then the script itself goes without a second factor, and a repeat discards nothing.
    again = await json_of(await client.delete(discard_url(doomed.script)), 200)
    assert again == {"characters": 0, "actions": 0, "lines": 0, "paraphrases": 0}
    deleted = await scripts.delete(f"{API}/scripts/{doomed.script}", params={"cascade": "true"})
    assert deleted.status_code == 204, deleted.text
    assert (await client.delete(discard_url(doomed.script))).status_code == 404


async def test_an_empty_import_discards_nothing(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    script = await create_script(scripts, importing=True)
    counts = await json_of(await client.delete(discard_url(script["id"])), 200)
    assert counts == {"characters": 0, "actions": 0, "lines": 0, "paraphrases": 0}


async def test_a_finished_script_is_409_and_nothing_changes(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    finished = await cast(client, scripts, importing=False)
    imported = await cast(client, scripts)
    await json_of(
        await scripts.patch(f"{API}/scripts/{imported.script}", json={"importing": False}), 200
    )
    before = (await row_counts(app), await outbox_rows(app))
    for script_id in (finished.script, imported.script):
        refused = await client.delete(discard_url(script_id))
        assert refused.status_code == 409
        assert refused.headers["content-type"] == "application/problem+json"
        assert "only an unfinished import can be discarded at once" in refused.json()["detail"]
    assert (await row_counts(app), await outbox_rows(app)) == before


async def test_a_missing_script_is_404_and_bad_input_422(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    await cast(client, scripts)
    before = (await row_counts(app), await outbox_rows(app))
    assert (await client.delete(discard_url(999))).status_code == 404
    for bad in ("0", "-1", "abc", "1.5", str(2**63)):
        assert (await client.delete(discard_url(bad))).status_code == 422, bad
    long_comment = {"comment": "x" * 2001}
    assert (await client.delete(discard_url(1), params=long_comment)).status_code == 422
    assert (await row_counts(app), await outbox_rows(app)) == before


async def test_readers_and_anonymous_callers_are_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    reader_client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
) -> None:
    doomed = await cast(client, scripts)
    before = (await row_counts(app), await outbox_rows(app))
    assert (await reader_client.delete(discard_url(doomed.script))).status_code == 403
    async with client_for(app, {}) as anonymous:
        assert (await anonymous.delete(discard_url(doomed.script))).status_code == 401
    assert (await row_counts(app), await outbox_rows(app)) == before


async def test_over_the_cap_is_409_and_nothing_changes(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    doomed = await cast(client, scripts)  # 5 characters, actions and lines
    app.state.settings.max_discard_size = 4
    try:
        before = (await row_counts(app), await outbox_rows(app))
        refused = await client.delete(discard_url(doomed.script))
        assert refused.status_code == 409
        assert "at most 4 can be discarded" in refused.json()["detail"]
        assert (await row_counts(app), await outbox_rows(app)) == before
        app.state.settings.max_discard_size = 5
        assert (await client.delete(discard_url(doomed.script))).status_code == 200
    finally:
        app.state.settings.max_discard_size = 5000


@pytest.mark.parametrize("down", ["scripts", "sequence"])
async def test_a_service_down_is_503_and_nothing_changes_then_it_works(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
    down: str,
) -> None:
    doomed = await cast(client, scripts)
    before = (await row_counts(app), await outbox_rows(app))
    order = await reading_order(sequence, doomed.script)
    # Swapped by hand: monkeypatch's undo deletes what Starlette's State keeps in a dict.
    reachable: Any = getattr(app.state, down)
    client_type = ScriptsClient if down == "scripts" else SequenceClient
    async with client_type(closed_port_url(), retry=FAST_RETRY) as unreachable:
        setattr(app.state, down, unreachable)
        try:
            refused = await client.delete(discard_url(doomed.script))
        finally:
            setattr(app.state, down, reachable)
    assert refused.status_code == 503, refused.text
    assert (await row_counts(app), await outbox_rows(app)) == before
    assert await reading_order(sequence, doomed.script) == order

    assert (await client.delete(discard_url(doomed.script))).status_code == 200
    assert await reading_order(sequence, doomed.script) == order[:2]


async def test_a_discard_is_one_removal_at_central_sequence(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence_server: ServedApp,
) -> None:
    doomed = await cast(client, scripts)
    calls: list[str] = []
    reachable = app.state.sequence

    class Counting(SequenceClient):
        async def remove(self, *args: Any, **kwargs: Any) -> Any:
            calls.append("remove")
            return await super().remove(*args, **kwargs)

        async def remove_batch(self, *args: Any, **kwargs: Any) -> Any:
            calls.append("remove_batch")
            return await super().remove_batch(*args, **kwargs)

        async def create_version(self, *args: Any, **kwargs: Any) -> Any:
            calls.append("create_version")
            return await super().create_version(*args, **kwargs)

    async with Counting(sequence_server.url, retry=FAST_RETRY) as counting:
        app.state.sequence = counting
        try:
            assert (await client.delete(discard_url(doomed.script))).status_code == 200
        finally:
            app.state.sequence = reachable
    assert calls == ["remove_batch"]
