"""SequenceClient against the real Central Sequence (uvicorn, both backends)."""

from __future__ import annotations

import pytest

from fountainai.core import Conflict, NotFound, PermissionDenied, Unauthorized, UnprocessableEntity
from fountainai.core.clients import BlockMove, ElementRef, SequenceClient
from fountainai.core.elements import ElementType
from tests.core.clients.support import SequenceServer

SCRIPT = 7
ACTION = ElementType.ACTION
WORD = ElementType.SPOKEN_WORD


async def order_of(
    sequence: SequenceClient, writer: dict[str, str], script_id: int = SCRIPT
) -> list[tuple[ElementType, int]]:
    entries = await sequence.reading_order(script_id, credentials=writer)
    assert [entry.sequence_number for entry in entries] == list(range(1, len(entries) + 1))
    return [(entry.element_type, entry.element_id) for entry in entries]


async def test_allocate_is_idempotent(sequence: SequenceClient, writer: dict[str, str]) -> None:
    first = await sequence.allocate(WORD, 1, script_id=SCRIPT, comment="new", credentials=writer)
    again = await sequence.allocate(WORD, 1, script_id=SCRIPT, credentials=writer)
    second = await sequence.allocate(ACTION, 2, script_id=SCRIPT, credentials=writer)

    assert (first.sequence_number, first.script_id, first.comment) == (1, SCRIPT, "new")
    assert again.sequence_number == 1
    assert second.sequence_number == 2
    found = await sequence.get_number(WORD, 1, credentials=writer)
    assert (found.script_id, found.sequence_number) == (SCRIPT, 1)
    script = await sequence.allocate(ElementType.SCRIPT, SCRIPT, script_id=None, credentials=writer)
    assert (script.script_id, script.sequence_number) == (SCRIPT, 3)  # its own order


async def test_batch_numbers_in_order_and_repeats(
    sequence: SequenceClient, writer: dict[str, str]
) -> None:
    await sequence.allocate(ACTION, 1, script_id=SCRIPT, credentials=writer)
    refs = [ElementRef(element_type=WORD, element_id=i) for i in (10, 11)]

    batch = await sequence.allocate_batch(SCRIPT, refs, comment="import", credentials=writer)
    repeat = await sequence.allocate_batch(SCRIPT, refs, credentials=writer)

    assert [(e.element_id, e.sequence_number, e.created) for e in batch.elements] == [
        (10, 2, True),
        (11, 3, True),
    ]
    assert [e.created for e in repeat.elements] == [False, False]
    assert await order_of(sequence, writer) == [(ACTION, 1), (WORD, 10), (WORD, 11)]


async def test_insert_shifts_and_remove_closes_the_gap(
    sequence: SequenceClient, writer: dict[str, str]
) -> None:
    for element_id in (1, 2, 3):
        await sequence.allocate(ACTION, element_id, script_id=SCRIPT, credentials=writer)

    inserted = await sequence.allocate(WORD, 9, script_id=SCRIPT, position=2, credentials=writer)
    assert inserted.sequence_number == 2
    assert await order_of(sequence, writer) == [(ACTION, 1), (WORD, 9), (ACTION, 2), (ACTION, 3)]

    removed = await sequence.remove(ACTION, 1, comment="cut", credentials=writer)
    assert (removed.removed_sequence, removed.comment) == (1, "cut")
    assert await order_of(sequence, writer) == [(WORD, 9), (ACTION, 2), (ACTION, 3)]
    with pytest.raises(NotFound):
        await sequence.remove(ACTION, 1, credentials=writer)


async def test_reorder_by_order_and_by_move(
    sequence: SequenceClient, writer: dict[str, str]
) -> None:
    refs = [ElementRef(element_type=ACTION, element_id=i) for i in (1, 2, 3)]
    await sequence.allocate_batch(SCRIPT, refs, credentials=writer)

    reordered = await sequence.reorder(SCRIPT, order=refs[::-1], credentials=writer)
    assert {(e.element_id, e.new_sequence) for e in reordered.updated_elements} == {(3, 1), (1, 3)}
    move = BlockMove(from_sequence=1, count=1, to_sequence=3)
    await sequence.reorder(SCRIPT, move=move, comment="move", credentials=writer)
    assert await order_of(sequence, writer) == [(ACTION, 2), (ACTION, 1), (ACTION, 3)]
    with pytest.raises(ValueError, match="exactly one"):
        await sequence.reorder(SCRIPT, credentials=writer)


async def test_reading_order_reads_every_page(
    sequence: SequenceClient, writer: dict[str, str]
) -> None:
    refs = [ElementRef(element_type=WORD, element_id=i) for i in range(1, 1202)]
    await sequence.allocate_batch(SCRIPT, refs, credentials=writer)

    order = await order_of(sequence, writer)
    assert [element_id for _, element_id in order] == list(range(1, 1202))
    assert await sequence.reading_order(999, credentials=writer) == []


async def test_versions_create_get_and_list(
    sequence: SequenceClient, writer: dict[str, str]
) -> None:
    await sequence.allocate(WORD, 5, script_id=SCRIPT, credentials=writer)
    first = await sequence.create_version(WORD, 5, {"text": "Hi"}, comment="v1", credentials=writer)
    await sequence.create_version(WORD, 5, {"text": "Hello"}, credentials=writer)

    assert (first.version_number, first.script_id, first.data) == (1, SCRIPT, {"text": "Hi"})
    second = await sequence.get_version(WORD, 5, 2, credentials=writer)
    assert second.data == {"text": "Hello"}
    page = await sequence.list_versions(WORD, 5, limit=1, credentials=writer)
    assert (page.total_count, [v.version_number for v in page.items]) == (2, [2])
    with pytest.raises(NotFound, match="no version 3"):
        await sequence.get_version(WORD, 5, 3, credentials=writer)


async def test_refusals_are_passed_on_with_their_detail(
    sequence: SequenceClient, sequence_server: SequenceServer, writer: dict[str, str]
) -> None:
    reader = sequence_server.credentials("reader")
    with pytest.raises(PermissionDenied) as denied:
        await sequence.allocate(WORD, 1, script_id=SCRIPT, credentials=reader)
    assert denied.value.status == 403
    with pytest.raises(Unauthorized) as missing:
        await sequence.reading_order(SCRIPT, credentials={})
    assert missing.value.headers["WWW-Authenticate"].startswith("Bearer")

    await sequence.allocate(WORD, 1, script_id=SCRIPT, credentials=writer)
    with pytest.raises(Conflict, match="already belongs to script 7"):
        await sequence.allocate(WORD, 1, script_id=8, credentials=writer)
    with pytest.raises(UnprocessableEntity, match="past the end"):
        await sequence.allocate(WORD, 2, script_id=SCRIPT, position=5, credentials=writer)
    with pytest.raises(UnprocessableEntity, match=r"body\.comment: "):
        await sequence.allocate(WORD, 2, script_id=SCRIPT, comment="x" * 2001, credentials=writer)
