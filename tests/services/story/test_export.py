"""Exports of text written through the API (not imported): layout Fountain cannot say is
tidied, what it cannot say at all is a clear 422."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from fountainai.fountain import Dialogue, Parenthetical, parse
from tests.services.story.support import STORY, all_nodes, import_text
from tests.support.platform import ServedApp

SCENE = "INT. DINER - NIGHT\n\nMAE\nCoffee?\n"


async def _line_text(
    client: httpx.AsyncClient,
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    characters_server: ServedApp,
    text: str,
) -> int:
    script_id: int = (await import_text(client, SCENE)).json()["scriptId"]
    line = next(n for n in await all_nodes(client, script_id) if n["elementType"] == "spokenWord")
    async with service_client(characters_server) as characters:
        patched = await characters.patch(f"/api/v1/lines/{line['elementId']}", json={"text": text})
        assert patched.status_code == 200, patched.text
    return script_id


async def test_api_text_is_tidied_for_fountain(
    client: httpx.AsyncClient,
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    characters_server: ServedApp,
) -> None:
    script_id = await _line_text(
        client, service_client, characters_server, "Hi\tthere.  \r\n(beat)\nMore?"
    )
    exported = await client.get(f"{STORY}/{script_id}/export")
    assert exported.status_code == 200, exported.text
    elements = parse(exported.text).elements
    assert elements[-3:] == (
        Dialogue("Hi    there."),
        Parenthetical("beat"),
        Dialogue("More?"),
    )


async def test_text_fountain_cannot_hold_is_a_clear_422(
    client: httpx.AsyncClient,
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    characters_server: ServedApp,
) -> None:
    script_id = await _line_text(client, service_client, characters_server, "a /* b")
    exported = await client.get(f"{STORY}/{script_id}/export")
    assert exported.status_code == 422
    assert "/*" in exported.json()["detail"]
    for other in ("fdx", "json"):
        assert (
            await client.get(f"{STORY}/{script_id}/export", params={"format": other})
        ).status_code == 200
