"""Central Sequence down and back: writes in Scripts answer 503 and leave nothing behind; once
it is up again (same port, same database) the retry succeeds. Allocation is idempotent."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.story.api import Story, expect, problem, ref_of
from tests.integration.story.platform import StoryPlatform
from tests.integration.story.screenplay import write_screenplay

pytestmark = pytest.mark.integration


def test_writes_while_sequence_is_down_are_503_and_change_nothing(
    story: StoryPlatform, writer: Story
) -> None:
    play = write_screenplay(writer, "Outage")
    before = writer.view(play.id)
    scripts_before = writer.scripts.scripts_count()
    scene = {"kind": "scene", "parentId": play.act["id"], "title": "Lost and found"}
    starts = story.sequence.starts

    with story.sequence.stopped():
        refusals = [
            writer.scripts.try_create("section", play.id, **scene),
            writer.scripts.try_create("markup", play.id, kind="lyric", text="La la", position=2),
            writer.scripts.request("POST", "/scripts", json={"title": "Never numbered"}),
            writer.scripts.patch("section", play.kitchen["id"], title="Unversioned"),
            writer.scripts.delete("transition", play.cut["id"]),
        ]
        for refused in refusals:
            body = problem(refused, 503)
            assert int(refused.headers["Retry-After"]) > 0
            assert "Traceback" not in body.get("detail", "")

    assert story.sequence.starts == starts + 1  # a new process, where the services expect it
    assert writer.view(play.id) == before
    assert writer.scripts.scripts_count() == scripts_before

    retried = writer.scripts.create("section", play.id, **scene)
    assert retried["sequenceNumber"] == len(play.reading_order) + 1
    expected = [*play.reading_order, ref_of("section", retried)]
    assert writer.assert_listings_follow_reading_order(play.id) == expected


def test_the_first_write_after_a_restart_needs_no_retry_by_the_caller(
    story: StoryPlatform, writer: Story
) -> None:
    """Keeping a version is not retried by Scripts: it must not go out on a connection that
    the stopped process had closed."""
    play = write_screenplay(writer, "Restarted")
    with story.sequence.stopped():
        pass

    changed = expect(writer.scripts.patch("section", play.kitchen["id"], title="After"), 200)

    assert changed["title"] == "After"
    assert len(writer.sequence.versions(ref_of("section", play.kitchen))) == 1


def test_allocating_the_same_element_again_answers_its_number(writer: Story) -> None:
    play = write_screenplay(writer, "Idempotent")
    line = ("action", 910_001)  # an id Characters never hands out here: only numbered

    first = writer.sequence.try_allocate(play.id, line)
    again = writer.sequence.try_allocate(play.id, line, position=2)

    assert first.status_code == 201
    assert again.status_code == 200  # a repeat: not moved, not added twice
    assert expect(again, 200)["sequenceNumber"] == first.json()["sequenceNumber"] == 7
    assert writer.sequence.reading_order(play.id) == [*play.reading_order, line]
    elsewhere = write_screenplay(writer, "Elsewhere")
    problem(writer.sequence.try_allocate(elsewhere.id, line), 409)
    assert writer.sequence.reading_order(elsewhere.id) == elsewhere.reading_order


def test_concurrent_allocations_of_one_element_get_one_number(writer: Story) -> None:
    play = write_screenplay(writer, "Raced")
    line = ("action", 910_002)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: writer.sequence.try_allocate(play.id, line), range(8)))

    assert sorted(answer.status_code for answer in answers) == [200] * 7 + [201]
    assert {answer.json()["sequenceNumber"] for answer in answers} == {7}
    assert writer.sequence.reading_order(play.id) == [*play.reading_order, line]
