"""A script's reading order across real processes: Scripts numbers every element at Central
Sequence before it commits, and its list endpoints show the numbers Central Sequence holds."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.story.api import JSON, Story, expect, problem, ref_of
from tests.integration.story.screenplay import write_screenplay

pytestmark = pytest.mark.integration


def test_every_kind_is_numbered_densely_in_reading_order(writer: Story) -> None:
    play = write_screenplay(writer, "Numbered as written")
    created = [play.script, play.act, play.kitchen, play.cut, play.street, play.note]

    assert [element["sequenceNumber"] for element in created] == [1, 2, 3, 4, 5, 6]
    assert writer.sequence.reading_order(play.id) == play.reading_order
    assert writer.assert_listings_follow_reading_order(play.id) == play.reading_order
    assert writer.scripts.read("section", play.kitchen["id"])["sequenceNumber"] == 3


def test_inserting_at_a_position_shifts_the_rest(writer: Story) -> None:
    play = write_screenplay(writer, "Inserted into")

    synopsis = writer.scripts.create(
        "markup", play.id, kind="synopsis", text="They meet.", position=3, sectionId=play.act["id"]
    )
    scene = writer.scripts.create(
        "section", play.id, kind="scene", parentId=play.act["id"], title="Middle", position=5
    )

    assert synopsis["sequenceNumber"] == 3
    assert scene["sequenceNumber"] == 5
    before = play.reading_order
    expected = [*before[:2], ref_of("markup", synopsis), before[2], ref_of("section", scene)]
    expected += before[3:]
    assert writer.assert_listings_follow_reading_order(play.id) == expected
    assert writer.scripts.read("transition", play.cut["id"])["sequenceNumber"] == 6
    assert writer.scripts.read("markup", play.note["id"])["sequenceNumber"] == 8


def test_a_reorder_across_kinds_shows_in_the_scripts_lists(writer: Story) -> None:
    play = write_screenplay(writer, "Reordered")
    script, act, kitchen, cut, street, note = play.reading_order
    swapped = [script, act, street, note, kitchen, cut]  # the street scene now comes first

    answer = expect(writer.sequence.try_reorder(play.id, order=swapped), 200)

    moved = {
        (e["elementType"], e["elementId"]): e["newSequence"] for e in answer["updatedElements"]
    }
    assert moved == {street: 3, note: 4, kitchen: 5, cut: 6}
    assert writer.assert_listings_follow_reading_order(play.id) == swapped
    sections = writer.scripts.listing("section", play.id)
    assert [(s["id"], s["sequenceNumber"]) for s in sections] == [
        (play.act["id"], 2),
        (play.street["id"], 3),
        (play.kitchen["id"], 5),
    ]
    assert writer.scripts.listing("transition", play.id)[0]["sequenceNumber"] == 6

    # A block move puts the kitchen scene and its transition back in front.
    block = {"fromSequence": 5, "count": 2, "toSequence": 3}
    expect(writer.sequence.try_reorder(play.id, move=block), 200)
    assert writer.assert_listings_follow_reading_order(play.id) == play.reading_order


def test_deleting_closes_the_gap(writer: Story) -> None:
    play = write_screenplay(writer, "Cut down")
    script, act, kitchen, cut, street, note = play.reading_order

    assert writer.scripts.delete("transition", play.cut["id"]).status_code == 204
    without_cut = [script, act, kitchen, street, note]
    assert writer.assert_listings_follow_reading_order(play.id) == without_cut
    assert writer.scripts.read("markup", play.note["id"])["sequenceNumber"] == 5
    problem(writer.sequence.request("GET", "/sequence/{}/{}".format(*cut)), 404)

    # A section that holds something goes only with cascade, and takes its contents along.
    problem(writer.scripts.delete("section", play.street["id"]), 409)
    assert writer.sequence.reading_order(play.id) == without_cut
    deleted = writer.scripts.delete("section", play.street["id"], cascade="true")
    assert deleted.status_code == 204
    assert writer.assert_listings_follow_reading_order(play.id) == [script, act, kitchen]


def test_a_deleted_element_comes_back_where_it_was_by_restoring_its_last_version(
    writer: Story,
) -> None:
    play = write_screenplay(writer, "Undone")
    before = writer.scripts.read("transition", play.cut["id"])
    assert writer.scripts.delete("transition", play.cut["id"], comment="oops").status_code == 204
    last = writer.sequence.versions(ref_of("transition", play.cut))[0]
    assert last["comment"] == "oops"

    path = f"/transitions/{play.cut['id']}/restore"
    params = {"version": last["versionNumber"], "position": before["sequenceNumber"]}
    back = expect(writer.scripts.request("POST", path, params=params), 200)

    kept = ("id", "scriptId", "sectionId", "text", "forced", "sequenceNumber")
    assert {key: back[key] for key in kept} == {key: before[key] for key in kept}
    assert writer.assert_listings_follow_reading_order(play.id) == play.reading_order


def _without_updated_at(element: JSON) -> dict[str, Any]:
    return {key: value for key, value in element.items() if key != "updatedAt"}


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        ("script", {"title": "Renamed", "titlePage": [{"key": "Draft", "value": "2"}]}),
        ("section", {"title": "Changed", "heading": {"prefix": "EXT", "location": "ROOF"}}),
        ("transition", {"text": "SMASH CUT TO:", "forced": True, "sectionId": None}),
        ("markup", {"text": "Sun, for once."}),
    ],
)
def test_restoring_a_version_brings_back_the_exact_earlier_state(
    writer: Story, kind: str, changes: JSON
) -> None:
    play = write_screenplay(writer, f"Restored {kind}")
    element = {"script": play.script, "section": play.kitchen}.get(kind)
    element = element or {"transition": play.cut, "markup": play.note}[kind]
    element_id = element["id"]
    before = writer.scripts.read(kind, element_id)
    ref = ("script", play.id) if kind == "script" else ref_of(kind, before)

    changed = expect(writer.scripts.patch(kind, element_id, **changes, comment="try"), 200)
    assert _without_updated_at(changed) != _without_updated_at(before)
    newest = writer.sequence.versions(ref)[0]
    assert newest["comment"] == "try"
    restored = expect(writer.scripts.restore(kind, element_id, newest["versionNumber"]), 200)

    assert _without_updated_at(restored) == _without_updated_at(before)
    assert _without_updated_at(writer.scripts.read(kind, element_id)) == _without_updated_at(before)
    assert writer.assert_listings_follow_reading_order(play.id) == play.reading_order


def test_a_new_element_starts_without_a_deleted_ones_history(writer: Story) -> None:
    """Versions are keyed by (elementType, elementId) at Central Sequence, so an id must never
    be handed out twice (on SQLite the tables use AUTOINCREMENT: a deleted newest row's id is
    not reused, and the new element does not inherit the old one's history)."""
    first = write_screenplay(writer, "Written first")
    second = write_screenplay(writer, "Written second")
    expect(writer.scripts.patch("transition", second.cut["id"], text="DISSOLVE TO:"), 200)
    assert writer.scripts.delete("transition", second.cut["id"]).status_code == 204

    fresh = writer.scripts.create("transition", first.id, text="FADE OUT.")

    history = writer.sequence.versions(ref_of("transition", fresh))
    assert [version["scriptId"] for version in history] == []  # not script `second`'s
    assert fresh["id"] != second.cut["id"]
    assert writer.scripts.restore("transition", fresh["id"], 1).status_code == 404
