"""Characters joins the story: its characters, actions and lines share one reading order at
Central Sequence with the Scripts service's elements, across real processes.

Characters checks scripts and sections with Scripts (with the caller's token), numbers every
element at Central Sequence before it commits and versions it there before every change; both
services' list endpoints show the numbers Central Sequence holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.integration.story.api import JSON, Ref, Story, acting_as, expect, problem, ref_of
from tests.integration.story.platform import StoryPlatform
from tests.integration.story.screenplay import KITCHEN, STREET

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class CastPlay:
    """ACT I > scenes INT. KITCHEN and EXT. STREET; MARGARET and TOM; in the kitchen rain and a
    line each, in the street TOM walks; FADE OUT."""

    script: JSON
    act: JSON
    kitchen: JSON
    street: JSON
    margaret: JSON
    tom: JSON
    rain: JSON
    her_line: JSON
    his_line: JSON
    walk: JSON
    fade: JSON

    @property
    def id(self) -> int:
        script_id: int = self.script["id"]
        return script_id

    @property
    def created(self) -> list[JSON]:
        """Every element, in the order it was written (and so in reading order)."""
        return [
            self.script,
            self.act,
            self.kitchen,
            self.street,
            self.margaret,
            self.tom,
            self.rain,
            self.her_line,
            self.his_line,
            self.walk,
            self.fade,
        ]

    @property
    def reading_order(self) -> list[Ref]:
        kinds = ["script", "section", "section", "section", "character", "character"]
        kinds += ["action", "line", "line", "action", "transition"]
        return [ref_of(kind, e) for kind, e in zip(kinds, self.created, strict=True)]


CAST = tuple(CastPlay.__dataclass_fields__)  # the names of a play's elements


def write_cast_play(story: Story, title: str) -> CastPlay:
    """Scripts first (script, act, scenes), then Characters, then Scripts again (transition)."""
    scripts, cast = story.scripts, story.characters
    script = scripts.create_script(title, author="A. Writer")
    act = scripts.create("section", script["id"], kind="act", title="ACT I")
    kitchen = scripts.create(
        "section", script["id"], kind="scene", parentId=act["id"], heading=KITCHEN
    )
    street = scripts.create(
        "section", script["id"], kind="scene", parentId=act["id"], heading=STREET
    )
    margaret = cast.create(
        "character", script["id"], name="MARGARET", description="The driver.", aliases=["MAGGIE"]
    )
    tom = cast.create("character", script["id"], name="TOM")
    rain = cast.create(
        "action", script["id"], text="Rain hammers the window.", sectionId=kitchen["id"]
    )
    her_line = cast.create(
        "line",
        script["id"],
        characterId=margaret["id"],
        text="We're not going back.",
        sectionId=kitchen["id"],
    )
    his_line = cast.create(
        "line", script["id"], characterId=tom["id"], text="We have to.", sectionId=kitchen["id"]
    )
    walk = cast.create(
        "action",
        script["id"],
        text="TOM walks into the rain.",
        sectionId=street["id"],
        characterId=tom["id"],
    )
    fade = scripts.create("transition", script["id"], text="FADE OUT.", sectionId=street["id"])
    return CastPlay(
        script, act, kitchen, street, margaret, tom, rain, her_line, his_line, walk, fade
    )


def _ids(elements: list[JSON]) -> list[int]:
    return [element["id"] for element in elements]


def _numbered(elements: list[JSON]) -> list[tuple[int, int]]:
    return [(element["id"], element["sequenceNumber"]) for element in elements]


def _without_updated_at(element: JSON) -> dict[str, Any]:
    return {key: value for key, value in element.items() if key != "updatedAt"}


def _filled(body: Any, ids: dict[str, int]) -> Any:
    """``"@name"`` in a body stands for that element's id."""
    if isinstance(body, dict):
        return {key: _filled(value, ids) for key, value in body.items()}
    if isinstance(body, list):
        return [_filled(value, ids) for value in body]
    if isinstance(body, str) and body.startswith("@"):
        return ids[body[1:]]
    return body


def test_both_services_elements_are_numbered_densely_in_reading_order(writer: Story) -> None:
    play = write_cast_play(writer, "Cast, numbered")

    assert [e["sequenceNumber"] for e in play.created] == list(range(1, 12))
    assert writer.sequence.reading_order(play.id) == play.reading_order
    assert writer.assert_listings_follow_reading_order(play.id) == play.reading_order
    assert writer.characters.read("line", play.his_line["id"])["sequenceNumber"] == 9
    assert play.her_line["speechId"] == play.her_line["id"]  # a line starts its own speech

    # The listings' filters, through the real service.
    cast = writer.characters
    assert _ids(cast.listing("character", play.id, name="maggie")) == [play.margaret["id"]]
    assert _ids(cast.listing("line", play.id, characterId=play.margaret["id"])) == [
        play.her_line["id"]
    ]
    kitchen_lines = cast.listing("line", play.id, sectionId=play.kitchen["id"])
    assert _ids(kitchen_lines) == [play.her_line["id"], play.his_line["id"]]
    assert _ids(cast.listing("line", play.id, speechId=play.his_line["id"])) == [
        play.his_line["id"]
    ]
    assert _ids(cast.listing("line", play.id, keyword="GOING")) == [play.her_line["id"]]
    assert _ids(cast.listing("action", play.id, sectionId=play.street["id"])) == [play.walk["id"]]
    assert _ids(cast.listing("action", play.id, characterId=play.tom["id"])) == [play.walk["id"]]


def test_inserting_an_action_in_the_middle_shifts_both_services_elements(writer: Story) -> None:
    play = write_cast_play(writer, "Cast, inserted into")

    thunder = writer.characters.create(
        "action", play.id, text="Thunder.", sectionId=play.kitchen["id"], position=5
    )

    assert thunder["sequenceNumber"] == 5
    expected = [*play.reading_order[:4], ref_of("action", thunder), *play.reading_order[4:]]
    assert writer.assert_listings_follow_reading_order(play.id) == expected
    # Scripts shows the new numbers of what came after, Characters too.
    assert _numbered(writer.scripts.listing("section", play.id)) == [
        (play.act["id"], 2),
        (play.kitchen["id"], 3),
        (play.street["id"], 4),
    ]
    assert writer.scripts.read("transition", play.fade["id"])["sequenceNumber"] == 12
    assert _numbered(writer.characters.listing("character", play.id)) == [
        (play.margaret["id"], 6),
        (play.tom["id"], 7),
    ]
    assert _numbered(writer.characters.listing("action", play.id)) == [
        (thunder["id"], 5),
        (play.rain["id"], 8),
        (play.walk["id"], 11),
    ]
    assert _numbered(writer.characters.listing("line", play.id)) == [
        (play.her_line["id"], 9),
        (play.his_line["id"], 10),
    ]


def test_a_reorder_across_both_services_shows_in_both_listings(writer: Story) -> None:
    play = write_cast_play(writer, "Cast, reordered")
    script, act, kitchen, street, margaret, tom, rain, hers, his, walk, fade = play.reading_order
    # TOM enters and speaks first; the street scene comes after the fade.
    order = [script, act, kitchen, tom, margaret, rain, his, hers, fade, street, walk]

    answer = expect(writer.sequence.try_reorder(play.id, order=order), 200)

    before = {ref: number for number, ref in enumerate(play.reading_order, start=1)}
    after = {ref: number for number, ref in enumerate(order, start=1)}
    moved = {
        (e["elementType"], e["elementId"]): e["newSequence"] for e in answer["updatedElements"]
    }
    assert moved == {ref: number for ref, number in after.items() if before[ref] != number}
    assert writer.assert_listings_follow_reading_order(play.id) == order
    assert _numbered(writer.scripts.listing("section", play.id)) == [
        (play.act["id"], 2),
        (play.kitchen["id"], 3),
        (play.street["id"], 10),
    ]
    assert _numbered(writer.scripts.listing("transition", play.id)) == [(play.fade["id"], 9)]
    assert _numbered(writer.characters.listing("character", play.id)) == [
        (play.tom["id"], 4),
        (play.margaret["id"], 5),
    ]
    assert _numbered(writer.characters.listing("action", play.id)) == [
        (play.rain["id"], 6),
        (play.walk["id"], 11),
    ]
    assert _numbered(writer.characters.listing("line", play.id)) == [
        (play.his_line["id"], 7),
        (play.her_line["id"], 8),
    ]
    assert writer.characters.read("character", play.tom["id"])["sequenceNumber"] == 4


def test_deleting_a_line_closes_the_gap(writer: Story) -> None:
    play = write_cast_play(writer, "Cast, cut down")
    her_line = ref_of("line", play.her_line)

    assert writer.characters.delete("line", play.her_line["id"]).status_code == 204

    expected = [ref for ref in play.reading_order if ref != her_line]
    assert writer.assert_listings_follow_reading_order(play.id) == expected
    assert _numbered(writer.characters.listing("line", play.id)) == [(play.his_line["id"], 8)]
    assert writer.scripts.read("transition", play.fade["id"])["sequenceNumber"] == 10
    problem(writer.characters.try_read("line", play.her_line["id"]), 404)
    problem(writer.sequence.request("GET", "/sequence/{}/{}".format(*her_line)), 404)


# kind -> (the element of ``CastPlay`` changed, the changes; "@name": that element's id)
CHANGES: dict[str, tuple[str, JSON]] = {
    "character": ("margaret", {"name": "MAGS", "description": "", "aliases": ["MRS. DALE"]}),
    "action": ("rain", {"text": "Sun.", "forced": True, "characterId": "@tom", "sectionId": None}),
    "line": (
        "her_line",
        {
            "characterId": "@tom",
            "text": "Fine.",
            "parenthetical": "quietly",
            "extensions": ["V.O."],
            "dual": True,
            "sectionId": "@street",
        },
    ),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_patch_then_restore_brings_back_the_exact_earlier_state(writer: Story, kind: str) -> None:
    play = write_cast_play(writer, f"Cast, restored {kind}")
    name, sent = CHANGES[kind]
    element_id = getattr(play, name)["id"]
    changes = _filled(sent, {field: getattr(play, field)["id"] for field in CAST})
    before = writer.characters.read(kind, element_id)
    ref = ref_of(kind, before)

    changed = expect(writer.characters.patch(kind, element_id, **changes, comment="try"), 200)
    assert {key: changed[key] for key in changes} == changes
    newest = writer.sequence.versions(ref)[0]
    assert newest["comment"] == "try"
    restored = expect(writer.characters.restore(kind, element_id, newest["versionNumber"]), 200)

    assert _without_updated_at(restored) == _without_updated_at(before)
    current = writer.characters.read(kind, element_id)
    assert _without_updated_at(current) == _without_updated_at(before)
    assert len(writer.sequence.versions(ref)) == 2  # the changed state was kept too
    assert writer.assert_listings_follow_reading_order(play.id) == play.reading_order


def test_a_deleted_line_comes_back_under_its_id(writer: Story) -> None:
    play = write_cast_play(writer, "Cast, undone")
    before = writer.characters.read("line", play.her_line["id"])
    assert writer.characters.delete("line", before["id"], comment="oops").status_code == 204
    last = writer.sequence.versions(ref_of("line", before))[0]
    assert last["comment"] == "oops"

    back = expect(
        writer.characters.restore(
            "line", before["id"], last["versionNumber"], position=before["sequenceNumber"]
        ),
        200,
    )

    # The kept state, under the same id and number (the re-created row's createdAt is new).
    kept = ["id", "scriptId", "sequenceNumber", "sectionId", "characterId", "speechId", "text"]
    kept += ["parenthetical", "extensions", "dual"]
    assert {key: back[key] for key in kept} == {key: before[key] for key in kept}
    assert writer.characters.read("line", before["id"]) == back
    assert writer.assert_listings_follow_reading_order(play.id) == play.reading_order
    assert _ids(writer.characters.listing("line", play.id, speechId=before["id"])) == [before["id"]]


def test_a_line_batch_groups_speeches_by_key_and_goes_in_as_one_block(writer: Story) -> None:
    play = write_cast_play(writer, "Cast, imported")
    margaret, tom = play.margaret["id"], play.tom["id"]
    kitchen = play.kitchen["id"]
    items: list[JSON] = [
        {"characterId": margaret, "text": "One.", "speechKey": "s1", "sectionId": kitchen},
        {"characterId": margaret, "text": "Two.", "speechKey": "s1", "parenthetical": "beat"},
        {"characterId": tom, "text": "Three.", "speechKey": "s2", "extensions": ["O.S."]},
        {"characterId": margaret, "text": "Four."},
        {"characterId": margaret, "text": "Five.", "speechId": play.her_line["id"]},
    ]

    lines = writer.characters.batch("line", play.id, items, position=7)

    one, two, three, four, five = lines
    assert [line["text"] for line in lines] == ["One.", "Two.", "Three.", "Four.", "Five."]
    assert [line["sequenceNumber"] for line in lines] == [7, 8, 9, 10, 11]
    assert [line["speechId"] for line in lines] == [
        one["id"],
        one["id"],
        three["id"],
        four["id"],
        play.her_line["id"],
    ]
    assert (two["parenthetical"], three["extensions"]) == ("beat", ["O.S."])
    refs = [ref_of("line", line) for line in lines]
    expected = [*play.reading_order[:6], *refs, *play.reading_order[6:]]
    assert writer.assert_listings_follow_reading_order(play.id) == expected
    assert _ids(writer.characters.listing("line", play.id, speechId=one["id"])) == _ids([one, two])
    her_speech = writer.characters.listing("line", play.id, speechId=play.her_line["id"])
    assert _ids(her_speech) == [five["id"], play.her_line["id"]]  # in reading order
    assert writer.characters.read("action", play.rain["id"])["sequenceNumber"] == 12


def test_while_sequence_is_down_writes_are_503_and_leave_nothing(
    story: StoryPlatform, writer: Story
) -> None:
    play = write_cast_play(writer, "Cast, outage")
    before = writer.view(play.id)
    storm = {"text": "A storm.", "sectionId": play.kitchen["id"]}
    starts = story.sequence.starts

    with story.sequence.stopped():
        # Creates are refused before any row is written: Characters checks the script with
        # Scripts, whose answer needs Central Sequence too (so the 503 arrives through Scripts).
        # The rollback of a row whose numbering fails is the bad-input cases' "past the end".
        cast = writer.characters
        line = {"characterId": play.tom["id"], "text": "Hello?"}
        refusals = {
            "create action": cast.try_create("action", play.id, **storm),
            "line batch": cast.try_batch("line", play.id, [line, line]),
            "patch line": cast.patch("line", play.her_line["id"], text="Unversioned"),
            "delete action": cast.delete("action", play.walk["id"]),
        }
        for write, refused in refusals.items():
            body = problem(refused, 503)
            assert int(refused.headers["Retry-After"]) > 0, write
            assert "Traceback" not in body.get("detail", ""), write

    assert story.sequence.starts == starts + 1
    assert writer.view(play.id) == before  # no row left behind in Characters, nothing numbered

    retried = writer.characters.create("action", play.id, **storm)
    assert retried["sequenceNumber"] == len(play.reading_order) + 1
    expected = [*play.reading_order, ref_of("action", retried)]
    assert writer.assert_listings_follow_reading_order(play.id) == expected


@pytest.fixture(scope="module")
def two_plays(writer: Story) -> dict[str, JSON]:
    """Cast plays A and B, by name: ``a``, ``b``, ``kitchen_a``, ``her_line_b``, ..."""
    named: dict[str, JSON] = {}
    for suffix in ("a", "b"):
        play = write_cast_play(writer, f"Cast {suffix.upper()}")
        named[suffix] = play.script
        for name in CAST:
            named[f"{name}_{suffix}"] = getattr(play, name)
    return named


@dataclass(frozen=True)
class Bad:
    method: str
    path: str  # /api/v1-relative on Characters, ``{name}`` filled with that element's id
    body: Any = None
    status: int = 422

    def send(self, story: Story, named: dict[str, JSON]) -> httpx.Response:
        ids = {name: element["id"] for name, element in named.items()}
        return story.characters.request(
            self.method, self.path.format(**ids), json=_filled(self.body, ids)
        )


GOOD_LINE = {"characterId": "@tom_b", "text": "Fine."}
BAD_INPUT = {
    "action-in-other-scripts-section": Bad(
        "POST", "/actions", {"scriptId": "@b", "text": "x", "sectionId": "@kitchen_a"}
    ),
    "action-about-other-scripts-character": Bad(
        "POST", "/actions", {"scriptId": "@b", "text": "x", "characterId": "@tom_a"}
    ),
    "line-by-other-scripts-character": Bad(
        "POST", "/lines", {"scriptId": "@b", "characterId": "@margaret_a", "text": "x"}
    ),
    "move-action-to-other-scripts-section": Bad(
        "PATCH", "/actions/{rain_b}", {"sectionId": "@kitchen_a"}
    ),
    "give-line-to-other-scripts-character": Bad(
        "PATCH", "/lines/{her_line_b}", {"characterId": "@margaret_a"}
    ),
    "line-in-another-characters-speech": Bad(
        "POST", "/lines", {"scriptId": "@b", **GOOD_LINE, "speechId": "@her_line_b"}
    ),
    "batch-with-one-foreign-character": Bad(
        "POST",
        "/lines/batch",
        {"scriptId": "@b", "items": [GOOD_LINE, {**GOOD_LINE, "characterId": "@tom_a"}]},
    ),
    # Central Sequence refuses these after Characters has inserted the rows: rolled back.
    "action-position-past-the-end": Bad(
        "POST", "/actions", {"scriptId": "@b", "text": "x", "position": 99}
    ),
    "line-batch-position-past-the-end": Bad(
        "POST", "/lines/batch", {"scriptId": "@b", "items": [GOOD_LINE], "position": 99}
    ),
    "character-name-taken-in-any-case": Bad(
        "POST", "/characters", {"scriptId": "@b", "name": "maggie"}, 409
    ),
    "delete-character-who-speaks": Bad("DELETE", "/characters/{margaret_b}", status=409),
}


@pytest.mark.parametrize("case", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_and_changes_nothing(
    writer: Story, two_plays: dict[str, JSON], case: Bad
) -> None:
    scripts = [two_plays["a"]["id"], two_plays["b"]["id"]]
    before = [writer.view(script_id) for script_id in scripts]

    problem(case.send(writer, two_plays), case.status)

    assert [writer.view(script_id) for script_id in scripts] == before


def test_a_reader_reads_but_cannot_write(writer: Story, reader: Story) -> None:
    play = write_cast_play(writer, "Cast, read only")
    before = writer.view(play.id)
    assert reader.view(play.id) == before

    cast = reader.characters
    line = {"characterId": play.tom["id"], "text": "Mine."}
    refusals = {
        "create character": cast.try_create("character", play.id, name="READER"),
        "create action": cast.try_create("action", play.id, text="Mine."),
        "create line": cast.try_create("line", play.id, **line),
        "character batch": cast.try_batch("character", play.id, [{"name": "READER"}]),
        "action batch": cast.try_batch("action", play.id, [{"text": "Mine."}]),
        "line batch": cast.try_batch("line", play.id, [line]),
        "patch character": cast.patch("character", play.tom["id"], name="THOMAS"),
        "patch action": cast.patch("action", play.rain["id"], text="Mine."),
        "patch line": cast.patch("line", play.her_line["id"], text="Mine."),
        "delete action": cast.delete("action", play.walk["id"]),
        "delete line": cast.delete("line", play.his_line["id"]),
        "restore line": cast.restore("line", play.her_line["id"], 1),
    }

    for write, refused in refusals.items():
        assert refused.status_code == 403, write
        problem(refused, 403)
    assert writer.view(play.id) == before


def test_a_script_with_characters_is_not_deleted(story: StoryPlatform, writer: Story) -> None:
    """Deleting a script needs a recent second factor; even then it is refused (409) while
    Characters still has elements in it, since they would be orphaned."""
    play = write_cast_play(writer, "Cast, kept")
    lonely = writer.scripts.create_script("Just a character")
    stranger = writer.characters.create("character", lonely["id"], name="STRANGER")
    before = [writer.view(play.id), writer.view(lonely["id"])]
    scripts_before = writer.scripts.scripts_count()
    problem(writer.scripts.delete("script", lonely["id"]), 401)  # no second factor yet

    with acting_as(story, "writer", token=story.stepped_up("writer")) as stepped:
        refused = [
            problem(stepped.scripts.delete("script", play.id, cascade="true"), 409),
            problem(stepped.scripts.delete("script", lonely["id"]), 409),
        ]
        assert all("other services own" in body["detail"] for body in refused), refused
        assert "character" in refused[1]["detail"]
        assert [writer.view(play.id), writer.view(lonely["id"])] == before
        assert writer.scripts.scripts_count() == scripts_before

        # Once Characters has nothing in it, the same token deletes it.
        assert writer.characters.delete("character", stranger["id"]).status_code == 204
        assert stepped.scripts.delete("script", lonely["id"]).status_code == 204
    problem(writer.scripts.request("GET", f"/scripts/{lonely['id']}"), 404)
    assert writer.sequence.reading_order(lonely["id"]) == []
