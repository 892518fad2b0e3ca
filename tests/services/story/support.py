"""Helpers of the Story Factory tests: importing a file and reading a story back in a form
that two imports of the same screenplay share (ids and numbers left out)."""

from __future__ import annotations

from typing import Any

import httpx

STORY = "/api/v1/stories"


async def import_text(
    client: httpx.AsyncClient, body: bytes | str, *, filename: str = "", **params: str
) -> httpx.Response:
    data = body.encode() if isinstance(body, str) else body
    query = {"filename": filename, **params} if filename else params
    return await client.post(f"{STORY}/import", params=query, content=data)


async def all_nodes(client: httpx.AsyncClient, script_id: int) -> list[dict[str, Any]]:
    """Every element of the story in reading order, flat, every page fetched."""
    nodes: list[dict[str, Any]] = []
    offset = 0
    while True:
        answer = await client.get(
            STORY, params={"scriptId": script_id, "offset": offset, "limit": 500}
        )
        assert answer.status_code == 200, answer.text
        page = answer.json()
        nodes.extend(_flat(page["elements"]))
        offset += page["limit"]
        if offset >= page["totalCount"]:
            return nodes


def _flat(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for node in nodes:
        if not node.get("continued"):
            flat.append(node)
        flat.extend(_flat(node.get("elements") or []))
    return flat


_KEPT = (
    "elementType",
    "kind",
    "title",
    "heading",
    "text",
    "forced",
    "characterName",
    "parenthetical",
    "extensions",
    "dual",
)


def comparable(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The story without ids and numbers: speeches by ordinal, sections by their parent's
    position in the list."""
    speeches: dict[int, int] = {}
    positions = {
        node["elementId"]: index
        for index, node in enumerate(nodes)
        if node["elementType"] == "section"
    }
    shaped = []
    for node in nodes:
        kept = {name: node.get(name) for name in _KEPT if node.get(name) is not None}
        if node.get("speechId") is not None:
            kept["speech"] = speeches.setdefault(node["speechId"], len(speeches))
        if node.get("sectionId") is not None:
            kept["in"] = positions.get(node["sectionId"])
        shaped.append(kept)
    return shaped
