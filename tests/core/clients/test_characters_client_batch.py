"""CharactersClient's import calls against the real Characters, Scripts and Central Sequence
services (uvicorn, both backends): the three batches, and discarding an unfinished import."""

from __future__ import annotations

import pytest

from fountainai.core import (
    Conflict,
    NotFound,
    PermissionDenied,
    UnprocessableEntity,
    UpstreamUnavailable,
)
from fountainai.core.clients import (
    Action,
    ActionBatchItem,
    Character,
    CharacterBatchItem,
    CharactersClient,
    DiscardCounts,
    Line,
    LineBatchItem,
    ScriptsClient,
    SectionKind,
    SequenceClient,
)
from fountainai.core.elements import ElementType
from tests.support.platform import ServedApp


async def cast(
    characters: CharactersClient,
    scripts: ScriptsClient,
    writer: dict[str, str],
    *,
    importing: bool = True,
) -> tuple[int, list[Character], list[Action], list[Line]]:
    """A script with a scene, two characters, an action and a speech of two lines plus one."""
    script = await scripts.create_script("Heist", importing=importing, credentials=writer)
    scene = await scripts.create_section(script.id, SectionKind.SCENE, credentials=writer)
    people = await characters.create_characters(
        script.id,
        [CharacterBatchItem(name="ANN", aliases=["ANNIE"]), CharacterBatchItem(name="BOB")],
        comment="import",
        credentials=writer,
    )
    ann, bob = (person.id for person in people)
    actions = await characters.create_actions(
        script.id,
        [ActionBatchItem(text="Rain.", section_id=scene.id, character_id=ann, forced=True)],
        credentials=writer,
    )
    lines = await characters.create_lines(
        script.id,
        [
            LineBatchItem(character_id=ann, text="Go.", speech_key="s1", parenthetical="low"),
            LineBatchItem(character_id=ann, text="Now.", speech_key="s1", extensions=["V.O."]),
            LineBatchItem(character_id=bob, text="No.", section_id=scene.id, dual=True),
        ],
        credentials=writer,
    )
    return script.id, people, actions, lines


async def test_the_batches_create_in_order_with_every_field(
    characters: CharactersClient,
    scripts: ScriptsClient,
    sequence: SequenceClient,
    writer: dict[str, str],
    reader: dict[str, str],
) -> None:
    script, people, actions, lines = await cast(characters, scripts, writer, importing=False)
    assert all(isinstance(p, Character) for p in people)
    assert [(p.name, p.aliases) for p in people] == [("ANN", ["ANNIE"]), ("BOB", [])]
    [rain] = actions
    assert isinstance(rain, Action)
    assert (rain.text, rain.character_id, rain.forced) == ("Rain.", people[0].id, True)
    assert all(isinstance(line, Line) for line in lines)
    first, second, third = lines
    assert (first.speech_id, second.speech_id, third.speech_id) == (first.id, first.id, third.id)
    assert (first.parenthetical, second.extensions, third.dual) == ("low", ["V.O."], True)

    assert await characters.characters_of(script, credentials=reader) == people
    assert await characters.actions(script_id=script, credentials=reader) == actions
    assert await characters.lines(script_id=script, page_size=1, credentials=reader) == lines
    order = await sequence.reading_order(script, credentials=reader)
    assert [entry.element_type for entry in order] == [
        ElementType.SCRIPT,
        ElementType.SECTION,
        ElementType.CHARACTER,
        ElementType.CHARACTER,
        ElementType.ACTION,
        *[ElementType.SPOKEN_WORD] * 3,
    ]
    inserted = await characters.create_characters(
        script, [CharacterBatchItem(name="CAL")], position=1, credentials=writer
    )
    assert inserted[0].sequence_number == 1


async def test_a_refused_batch_names_its_item_and_creates_nothing(
    characters: CharactersClient,
    scripts: ScriptsClient,
    writer: dict[str, str],
    reader: dict[str, str],
) -> None:
    script, people, _, _ = await cast(characters, scripts, writer)
    ann = people[0].id
    with pytest.raises(Conflict, match=r"items\[1\]: .*already has a character called 'ANN'"):
        await characters.create_characters(
            script,
            [CharacterBatchItem(name="CAL"), CharacterBatchItem(name="ann")],
            credentials=writer,
        )
    with pytest.raises(UnprocessableEntity, match="Characters refused the input"):
        await characters.create_actions(script, [ActionBatchItem(text="")], credentials=writer)
    both = LineBatchItem(character_id=ann, text="Hi.", speech_id=1, speech_key="k")
    with pytest.raises(UnprocessableEntity, match="speechId or speechKey"):
        await characters.create_lines(script, [both], credentials=writer)
    with pytest.raises(PermissionDenied):
        await characters.create_lines(
            script, [LineBatchItem(character_id=ann, text="Hi.")], credentials=reader
        )
    with pytest.raises(UnprocessableEntity, match="scriptId"):
        await characters.create_characters(999, [CharacterBatchItem(name="X")], credentials=writer)
    assert [c.name for c in await characters.characters_of(script, credentials=reader)] == [
        "ANN",
        "BOB",
    ]
    assert len(await characters.lines(script_id=script, credentials=reader)) == 3


async def test_discard_then_delete_leaves_nothing_of_a_failed_import(
    characters: CharactersClient,
    scripts: ScriptsClient,
    sequence: SequenceClient,
    writer: dict[str, str],
    reader: dict[str, str],
) -> None:
    script, *_ = await cast(characters, scripts, writer)
    kept, *_ = await cast(characters, scripts, writer)

    with pytest.raises(Conflict, match="other services own"):
        await scripts.delete_script(script, cascade=True, credentials=writer)
    with pytest.raises(PermissionDenied):
        await characters.discard_script_elements(script, credentials=reader)
    counts = await characters.discard_script_elements(script, comment="failed", credentials=writer)
    assert counts == DiscardCounts(characters=2, actions=1, lines=3, paraphrases=0)
    again = await characters.discard_script_elements(script, credentials=writer)
    assert again == DiscardCounts(characters=0, actions=0, lines=0, paraphrases=0)
    await scripts.delete_script(script, cascade=True, credentials=writer)

    assert await sequence.reading_order(script, credentials=reader) == []
    with pytest.raises(NotFound):
        await characters.discard_script_elements(script, credentials=writer)
    assert len(await characters.lines(script_id=kept, credentials=reader)) == 3


async def test_a_finished_script_cannot_be_discarded(
    characters: CharactersClient,
    scripts: ScriptsClient,
    writer: dict[str, str],
    reader: dict[str, str],
) -> None:
    script, people, _, _ = await cast(characters, scripts, writer)
    await scripts.finish_import(script, credentials=writer)
    with pytest.raises(Conflict, match="only an unfinished import can be discarded at once"):
        await characters.discard_script_elements(script, credentials=writer)
    assert await characters.characters_of(script, credentials=reader) == people


async def test_characters_down_is_unavailable_and_batches_are_not_retried(
    characters: CharactersClient, characters_server: ServedApp, writer: dict[str, str]
) -> None:
    await characters_server.stop()
    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await characters.create_characters(1, [CharacterBatchItem(name="A")], credentials=writer)
    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await characters.create_actions(1, [ActionBatchItem(text="A.")], credentials=writer)
    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await characters.create_lines(
            1, [LineBatchItem(character_id=1, text="A.")], credentials=writer
        )
    with pytest.raises(UpstreamUnavailable, match="3 attempts"):
        await characters.discard_script_elements(1, credentials=writer)
