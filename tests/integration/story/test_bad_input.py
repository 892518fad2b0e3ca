"""Bad input through the real processes: refused with a 4xx problem, and nothing changes.

Two scripts, A and B, are written once per backend; each case sends one bad request, then both
scripts must look exactly as before (record, reading order, every list, every version count).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.integration.story.api import JSON, Story, problem
from tests.integration.story.screenplay import KITCHEN, write_screenplay

pytestmark = pytest.mark.integration

LONG = "x" * 301
TOO_BIG = "x" * 1_100_000  # past the services' 1 MiB body limit


@pytest.fixture(scope="module")
def ids(writer: Story) -> dict[str, int]:
    """Script A and B; A's act holds the kitchen scene, which holds a deeper scene."""
    a = write_screenplay(writer, "Script A")
    b = write_screenplay(writer, "Script B")
    deep = writer.scripts.create(
        "section", a.id, kind="scene", parentId=a.kitchen["id"], title="Flashback"
    )
    named: dict[str, int] = {"a": a.id, "b": b.id, "deep_a": deep["id"]}
    for play, suffix in ((a, "a"), (b, "b")):
        for name in ("act", "kitchen", "cut", "street", "note"):
            named[f"{name}_{suffix}"] = getattr(play, name)["id"]
    return named


@dataclass(frozen=True)
class Bad:
    method: str
    path: str  # /api/v1-relative, ``{name}`` filled from ``ids``
    body: Any = None
    status: int = 422
    raw: bytes | None = None

    def send(self, story: Story, ids: dict[str, int]) -> httpx.Response:
        path = self.path.format(**ids)
        body = _filled(self.body, ids)
        if self.raw is not None:
            headers = {"content-type": "application/json"}
            return story.scripts.request(self.method, path, content=self.raw, headers=headers)
        api = story.sequence if path.startswith("/sequence") else story.scripts
        return api.request(self.method, path, json=body)


def _filled(body: Any, ids: dict[str, int]) -> Any:
    """``"@name"`` in a body stands for that id (an int), so cases read as the request."""
    if isinstance(body, dict):
        return {key: _filled(value, ids) for key, value in body.items()}
    if isinstance(body, list):
        return [_filled(value, ids) for value in body]
    if isinstance(body, str) and body.startswith("@"):
        return ids[body[1:]]
    return body


def _order(*refs: tuple[str, str]) -> list[JSON]:
    return [{"elementType": kind, "elementId": f"@{name}"} for kind, name in refs]


A_ORDER = [("script", "a"), ("section", "act_a"), ("section", "kitchen_a"), ("section", "deep_a")]
A_ORDER += [("transition", "cut_a"), ("section", "street_a"), ("note", "note_a")]
# B's order, but with A's kitchen scene in place of B's own.
B_WITH_A_SCENE = [("script", "b"), ("section", "act_b"), ("section", "kitchen_a")]
B_WITH_A_SCENE += [("transition", "cut_b"), ("section", "street_b"), ("note", "note_b")]

CASES = {
    # wrong types (ids are strict: "1" is not an id)
    "title-not-a-string": Bad("POST", "/scripts", {"title": 42}),
    "parent-id-as-text": Bad("POST", "/scripts/{a}/sections", {"kind": "scene", "parentId": "1"}),
    "position-as-text": Bad("POST", "/scripts/{a}/sections", {"kind": "act", "position": "2"}),
    "forced-not-a-bool": Bad("PATCH", "/transitions/{cut_a}", {"forced": "yes"}),
    "unknown-markup-kind": Bad("POST", "/scripts/{a}/markup", {"kind": "limerick", "text": "x"}),
    "title-page-not-a-list": Bad("PATCH", "/scripts/{a}", {"titlePage": {"key": "Draft"}}),
    "broken-json": Bad("POST", "/scripts/{a}/transitions", status=400, raw=b'{"text": "CUT TO:",'),
    "version-not-a-number": Bad("POST", "/sections/{kitchen_a}/restore?version=two"),
    "null-title": Bad("PATCH", "/sections/{kitchen_a}", {"title": None}),
    # unknown fields, also nested ones
    "unknown-field": Bad("POST", "/scripts/{a}/sections", {"kind": "act", "colour": "red"}),
    "typo-in-patch": Bad("PATCH", "/scripts/{a}", {"titel": "Typo"}),
    "unknown-heading-field": Bad(
        "PATCH", "/sections/{kitchen_a}", {"heading": {**KITCHEN, "weather": "rain"}}
    ),
    # oversize
    "long-section-title": Bad("POST", "/scripts/{a}/sections", {"kind": "act", "title": LONG}),
    "long-script-title": Bad("PATCH", "/scripts/{a}", {"title": LONG}),
    "long-transition": Bad("POST", "/scripts/{a}/transitions", {"text": LONG[:201]}),
    "long-note": Bad("PATCH", "/markup/{note_a}", {"text": "x" * 10_001}),
    "body-too-large": Bad("POST", "/scripts/{a}/markup", {"kind": "note", "text": TOO_BIG}, 413),
    "position-past-the-end": Bad("POST", "/scripts/{a}/transitions", {"text": "X", "position": 99}),
    # another script's ids
    "parent-in-other-script": Bad(
        "POST", "/scripts/{b}/sections", {"kind": "scene", "parentId": "@act_a"}
    ),
    "section-in-other-script": Bad(
        "POST", "/scripts/{b}/transitions", {"text": "CUT TO:", "sectionId": "@kitchen_a"}
    ),
    "markup-in-other-script": Bad(
        "POST", "/scripts/{b}/markup", {"kind": "note", "text": "x", "sectionId": "@street_a"}
    ),
    "move-section-to-other-script": Bad("PATCH", "/sections/{kitchen_b}", {"parentId": "@act_a"}),
    "move-transition-to-other-script": Bad(
        "PATCH", "/transitions/{cut_b}", {"sectionId": "@kitchen_a"}
    ),
    "move-markup-to-other-script": Bad("PATCH", "/markup/{note_b}", {"sectionId": "@street_a"}),
    "reorder-with-other-scripts-element": Bad(
        "PUT",
        "/sequence/reorder",
        {"scriptId": "@b", "order": _order(*B_WITH_A_SCENE)},
    ),
    # the section tree
    "parent-is-a-child": Bad("PATCH", "/sections/{act_a}", {"parentId": "@kitchen_a"}),
    "parent-is-a-grandchild": Bad("PATCH", "/sections/{act_a}", {"parentId": "@deep_a"}),
    "parent-is-itself": Bad("PATCH", "/sections/{kitchen_a}", {"parentId": "@kitchen_a"}),
    "heading-on-an-act": Bad("POST", "/scripts/{a}/sections", {"kind": "act", "heading": KITCHEN}),
    "scene-with-heading-made-an-act": Bad("PATCH", "/sections/{kitchen_a}", {"kind": "act"}),
    "unknown-version": Bad("POST", "/sections/{kitchen_a}/restore?version=99", status=404),
    "unknown-script": Bad("POST", "/scripts/99999/sections", {"kind": "act"}, 404),
    # orders that are not a permutation of the script's elements
    "reorder-missing-one": Bad(
        "PUT", "/sequence/reorder", {"scriptId": "@a", "order": _order(*A_ORDER[:-1])}
    ),
    "reorder-twice-one": Bad(
        "PUT",
        "/sequence/reorder",
        {"scriptId": "@a", "order": _order(*A_ORDER[:-1], A_ORDER[1])},
    ),
    "move-past-the-end": Bad(
        "PUT",
        "/sequence/reorder",
        {"scriptId": "@a", "move": {"fromSequence": 6, "count": 3, "toSequence": 2}},
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_refused_and_changes_nothing(
    writer: Story, ids: dict[str, int], case: Bad
) -> None:
    before = [writer.view(ids["a"]), writer.view(ids["b"])]

    refused = case.send(writer, ids)

    problem(refused, case.status)
    assert [writer.view(ids["a"]), writer.view(ids["b"])] == before
