"""ScriptsClient's import calls against the real Scripts service and Central Sequence (uvicorn,
both backends): an unfinished import, finishing it, deleting a script, a batch of sections,
transitions and markup, and listing every transition and markup element."""

from __future__ import annotations

import time

import pytest

from fountainai.core import (
    Conflict,
    NotFound,
    PermissionDenied,
    Unauthorized,
    UnprocessableEntity,
    UpstreamUnavailable,
)
from fountainai.core.clients import (
    BatchMarkupItem,
    BatchSectionItem,
    BatchTransitionItem,
    HeadingPrefix,
    Markup,
    MarkupKind,
    SceneHeading,
    ScriptsBatchItem,
    ScriptsClient,
    SectionKind,
    SequenceClient,
    Transition,
)
from fountainai.core.elements import ElementType
from tests.core.clients.support import SequenceServer
from tests.support.platform import ServedApp

ACT, SCENE = SectionKind.ACT, SectionKind.SCENE
NOTE, PAGE_BREAK = MarkupKind.NOTE, MarkupKind.PAGE_BREAK
BANK = SceneHeading(prefix=HeadingPrefix.INT, location="BANK", time_of_day="NIGHT")


@pytest.fixture
def stepped_up(sequence_server: SequenceServer) -> dict[str, str]:
    """A writer who used a second factor just now."""
    token = sequence_server.issuer.token("writer", amr=("pwd", "otp"), auth_time=int(time.time()))
    return {"Authorization": f"Bearer {token}"}


def heist() -> list[ScriptsBatchItem]:
    """An act with a scene (by refs), a transition and a note in it, and a page break."""
    return [
        BatchSectionItem(kind=ACT, title="ACT I", ref="act"),
        BatchSectionItem(kind=SCENE, parent_ref="act", heading=BANK, ref="bank"),
        BatchMarkupItem(element_type=NOTE, text="quiet", section_ref="bank", ref="n"),
        BatchTransitionItem(text="CUT TO:", forced=True, section_ref="bank"),
        BatchMarkupItem(element_type=PAGE_BREAK),
    ]


async def test_an_import_is_created_listed_finished_and_then_needs_a_second_factor(
    scripts: ScriptsClient,
    writer: dict[str, str],
    reader: dict[str, str],
    stepped_up: dict[str, str],
) -> None:
    half = await scripts.create_script("Half", importing=True, credentials=writer)
    whole = await scripts.create_script("Whole", credentials=writer)
    assert (half.importing, whole.importing) == (True, False)
    assert (await scripts.get_script(half.id, credentials=reader)).importing is True
    importing = await scripts.list_scripts(importing=True, credentials=reader)
    assert [s.id for s in importing.items] == [half.id]
    finished = await scripts.list_scripts(importing=False, credentials=reader)
    assert [s.id for s in finished.items] == [whole.id]

    with pytest.raises(PermissionDenied):
        await scripts.finish_import(half.id, credentials=reader)
    done = await scripts.finish_import(half.id, comment="imported", credentials=writer)
    assert (done.id, done.title, done.importing) == (half.id, "Half", False)
    assert (await scripts.finish_import(half.id, credentials=writer)).importing is False
    with pytest.raises(NotFound):
        await scripts.finish_import(999, credentials=writer)

    with pytest.raises(Unauthorized) as refused:
        await scripts.delete_script(half.id, credentials=writer)
    assert "second factor" in str(refused.value.detail)
    await scripts.delete_script(half.id, comment="bye", credentials=stepped_up)
    with pytest.raises(NotFound):
        await scripts.get_script(half.id, credentials=reader)


async def test_any_writer_deletes_an_unfinished_import_with_cascade(
    scripts: ScriptsClient,
    sequence: SequenceClient,
    writer: dict[str, str],
    reader: dict[str, str],
) -> None:
    half = await scripts.create_script("Half", importing=True, credentials=writer)
    await scripts.create_elements(half.id, heist(), credentials=writer)

    with pytest.raises(PermissionDenied):
        await scripts.delete_script(half.id, cascade=True, credentials=reader)
    with pytest.raises(Conflict, match="cascade=true"):
        await scripts.delete_script(half.id, credentials=writer)
    assert len(await scripts.sections_of(half.id, credentials=reader)) == 2
    await scripts.delete_script(half.id, cascade=True, comment="failed", credentials=writer)
    with pytest.raises(NotFound):
        await scripts.delete_script(half.id, cascade=True, credentials=writer)
    assert await sequence.reading_order(half.id, credentials=reader) == []


async def test_create_elements_numbers_a_batch_with_its_refs(
    scripts: ScriptsClient, writer: dict[str, str], reader: dict[str, str]
) -> None:
    script = await scripts.create_script("Heist", credentials=writer)
    result = await scripts.create_elements(script.id, heist(), comment="import", credentials=writer)
    assert (result.script_id, result.comment) == (script.id, "import")
    assert [(e.element_type, e.sequence_number, e.ref) for e in result.elements] == [
        (ElementType.SECTION, 2, "act"),
        (ElementType.SECTION, 3, "bank"),
        (ElementType.NOTE, 4, "n"),
        (ElementType.TRANSITION, 5, None),
        (ElementType.PAGE_BREAK, 6, None),
    ]
    act, bank, note, cut, page_break = (e.element_id for e in result.elements)
    scene = await scripts.get_section(bank, credentials=reader)
    assert (scene.parent_id, scene.heading) == (act, BANK)

    [transition] = await scripts.transitions_of(script.id, credentials=reader)
    assert isinstance(transition, Transition)
    assert (transition.id, transition.section_id, transition.text) == (cut, bank, "CUT TO:")
    assert (transition.forced, transition.sequence_number) == (True, 5)
    markup = await scripts.markup_of(script.id, credentials=reader)
    assert all(isinstance(m, Markup) for m in markup)
    assert [(m.id, m.kind, m.text, m.section_id) for m in markup] == [
        (note, NOTE, "quiet", bank),
        (page_break, PAGE_BREAK, "", None),
    ]

    first = BatchSectionItem(kind=SCENE, title="Cold open")
    inserted = await scripts.create_elements(script.id, [first], position=2, credentials=writer)
    assert inserted.elements[0].sequence_number == 2
    sections = await scripts.sections_of(script.id, credentials=reader)
    assert [s.title for s in sections] == ["Cold open", "ACT I", ""]


async def test_transitions_and_markup_walk_every_page_with_their_filters(
    scripts: ScriptsClient, writer: dict[str, str], reader: dict[str, str]
) -> None:
    script = await scripts.create_script("Long", credentials=writer)
    items: list[ScriptsBatchItem] = [BatchSectionItem(kind=SCENE, ref="s")]
    for i in range(5):
        items.append(BatchTransitionItem(text=f"CUT {i}:", section_ref="s" if i % 2 else None))
        items.append(BatchMarkupItem(element_type=NOTE if i % 2 else MarkupKind.LYRIC, text=f"{i}"))
    result = await scripts.create_elements(script.id, items, credentials=writer)
    scene = result.elements[0].element_id

    transitions = await scripts.transitions_of(script.id, page_size=2, credentials=reader)
    assert [t.text for t in transitions] == [f"CUT {i}:" for i in range(5)]
    assert transitions == await scripts.transitions_of(script.id, credentials=reader)
    in_scene = await scripts.transitions_of(script.id, section_id=scene, credentials=reader)
    assert [t.text for t in in_scene] == ["CUT 1:", "CUT 3:"]
    markup = await scripts.markup_of(script.id, page_size=1, credentials=reader)
    assert [m.text for m in markup] == ["0", "1", "2", "3", "4"]
    notes = await scripts.markup_of(script.id, kind=NOTE, page_size=1, credentials=reader)
    assert [m.text for m in notes] == ["1", "3"]
    empty = await scripts.create_script("Empty", credentials=writer)
    assert await scripts.transitions_of(empty.id, credentials=reader) == []
    assert await scripts.markup_of(empty.id, credentials=reader) == []
    with pytest.raises(NotFound):
        await scripts.transitions_of(999, credentials=reader)
    with pytest.raises(NotFound):
        await scripts.markup_of(999, credentials=reader)


async def test_a_refused_batch_names_its_item_and_creates_nothing(
    scripts: ScriptsClient, writer: dict[str, str], reader: dict[str, str]
) -> None:
    script = await scripts.create_script("Heist", credentials=writer)
    dangling = [*heist(), BatchTransitionItem(text="FADE OUT.", section_ref="nowhere")]
    with pytest.raises(UnprocessableEntity, match=r"elements\[5\]: ref 'nowhere'"):
        await scripts.create_elements(script.id, dangling, credentials=writer)
    with pytest.raises(UnprocessableEntity, match=r"elements\[0\]: a note needs a text"):
        await scripts.create_elements(
            script.id, [BatchMarkupItem(element_type=NOTE)], credentials=writer
        )
    with pytest.raises(UnprocessableEntity, match=r"Scripts refused the input: body\.elements"):
        await scripts.create_elements(script.id, [BatchTransitionItem(text="")], credentials=writer)
    with pytest.raises(PermissionDenied):
        await scripts.create_elements(script.id, heist(), credentials=reader)
    with pytest.raises(NotFound):
        await scripts.create_elements(999, heist(), credentials=writer)
    assert await scripts.sections_of(script.id, credentials=reader) == []
    assert await scripts.markup_of(script.id, credentials=reader) == []


async def test_scripts_down_is_unavailable_and_a_batch_is_not_retried(
    scripts: ScriptsClient, scripts_server: ServedApp, writer: dict[str, str]
) -> None:
    await scripts_server.stop()
    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await scripts.create_elements(1, heist(), credentials=writer)
    with pytest.raises(UpstreamUnavailable, match="3 attempts"):
        await scripts.delete_script(1, credentials=writer)
    with pytest.raises(UpstreamUnavailable, match="3 attempts"):
        await scripts.finish_import(1, credentials=writer)
    with pytest.raises(UpstreamUnavailable):
        await scripts.transitions_of(1, credentials=writer)
