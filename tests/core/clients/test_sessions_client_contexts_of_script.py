"""SessionsClient.contexts_of_script against the real Sessions service and the real Central
Sequence (both under uvicorn, both backends): a script's contexts in one call, every page."""

from __future__ import annotations

import pytest

from fountainai.core import Unauthorized, UnprocessableEntity
from fountainai.core.clients import Context, SequenceClient, SessionsClient
from fountainai.core.elements import ElementType
from tests.core.clients.support import SequenceServer
from tests.core.clients.test_sessions_client import alice, sessions, sessions_server, story

__all__ = ["alice", "sessions", "sessions_server", "story"]

ACTION = ElementType.ACTION
CHARACTER = ElementType.CHARACTER
SCRIPT = ElementType.SCRIPT
ACTIONS = (10, 11, 12, 13)  # of script 1, besides the story's characters 1 and 5
ELSEWHERE = 20  # a character of script 2


@pytest.fixture
async def more_story(
    sequence: SequenceClient, sequence_server: SequenceServer, story: None
) -> None:
    writer = sequence_server.credentials("writer")
    for action_id in ACTIONS:
        await sequence.allocate(ACTION, action_id, script_id=1, credentials=writer)
    await sequence.allocate(CHARACTER, ELSEWHERE, script_id=2, credentials=writer)


def targets(contexts: list[Context]) -> list[tuple[ElementType, int]]:
    return [(context.target_type, context.target_id) for context in contexts]


@pytest.mark.usefixtures("more_story")
async def test_every_context_of_a_script_across_pages(
    sessions: SessionsClient, alice: dict[str, str], reader: dict[str, str]
) -> None:
    assert await sessions.contexts_of_script(1, credentials=reader) == []
    written = {}
    for target_type, target_id in [(CHARACTER, 5), (SCRIPT, 1), (CHARACTER, 1)] + [
        (ACTION, action_id) for action_id in ACTIONS
    ]:
        values = {"mood": "angry" if target_id % 2 else "calm", "id": target_id}
        context = await sessions.put_context(target_type, target_id, values, credentials=alice)
        written[target_type, target_id] = context
    await sessions.put_context(CHARACTER, ELSEWHERE, {"mood": "angry"}, credentials=alice)
    await sessions.put_context(ACTION, 13, {"mood": None, "id": None}, credentials=alice)

    expected = [
        (ACTION, 10),
        (ACTION, 11),
        (ACTION, 12),
        (CHARACTER, 1),
        (CHARACTER, 5),
        (SCRIPT, 1),
    ]
    for page_size in (2, 4, 500):  # pages that split it evenly, unevenly, and one page
        contexts = await sessions.contexts_of_script(1, page_size=page_size, credentials=reader)
        assert targets(contexts) == expected
        assert all(isinstance(context, Context) for context in contexts)
        assert contexts == [written[target] for target in expected]
    of_two = await sessions.contexts_of_script(2, credentials=reader)
    assert targets(of_two) == [(CHARACTER, ELSEWHERE)]

    calm = await sessions.contexts_of_script(1, key="mood", value="calm", credentials=reader)
    assert targets(calm) == [(ACTION, 10), (ACTION, 12)]
    assert calm[0].values == {"id": 10, "mood": "calm"}
    holding = await sessions.contexts_of_script(1, key="id", page_size=1, credentials=reader)
    assert targets(holding) == expected
    assert await sessions.contexts_of_script(1, key="missing", credentials=reader) == []
    assert await sessions.contexts_of_script(404, credentials=reader) == []


async def test_refusals_are_passed_on(sessions: SessionsClient, reader: dict[str, str]) -> None:
    with pytest.raises(UnprocessableEntity, match="give `key` too"):
        await sessions.contexts_of_script(1, value="calm", credentials=reader)
    with pytest.raises(UnprocessableEntity, match="key"):
        await sessions.contexts_of_script(1, key="bad key", credentials=reader)
    with pytest.raises(Unauthorized):
        await sessions.contexts_of_script(1, credentials={})
