"""HTTP surface of assembled stories: ``getFullStory`` and ``getStorySequences``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fountainai.core import NotFound, UnprocessableEntity, problem_responses
from fountainai.core.auth import AUTH_RESPONSES
from fountainai.core.clients import ForwardedCredentials
from fountainai.core.elements import IdParam
from fountainai.core.errors import UpstreamUnavailable
from fountainai.core.schemas import MAX_PAGE_SIZE
from fountainai.services.story.assembly.fetch import fetch_story
from fountainai.services.story.assembly.schemas import FullStory, StoryWindow
from fountainai.services.story.assembly.story import (
    ContextFilter,
    StoryQuery,
    full_story,
    story_window,
)
from fountainai.services.story.clients import StoryClientsDep
from fountainai.services.story.dependencies import READER

router = APIRouter(tags=["stories"], responses=AUTH_RESPONSES)

MAX_WINDOW = 1000
ScriptIdQuery = Annotated[IdParam, Query(alias="scriptId", description="The script to assemble.")]
SequenceQuery = Annotated[int, Query(ge=1, le=2_147_483_647)]


@router.get(
    "/stories",
    dependencies=[READER],
    operation_id="getFullStory",
    summary="A script assembled in reading order: sections with their elements nested, "
    "characters resolved, contexts attached; filterable and paged.",
    description=(
        "Pages run over the story's elements in reading order (sections included; the script "
        "and character entries are not elements of the story: characters are listed once). "
        "`filterByCharacter` keeps that character's lines and actions; `filterByContext` keeps "
        "elements whose context has a key (`mood`) or a key with a value (`mood=tense`). A "
        "section outside the page or filter that holds elements on it is shown as a "
        "`continued` container. One request to each owning service, made in parallel."
    ),
    responses=problem_responses(NotFound, UnprocessableEntity, UpstreamUnavailable),
)
async def get_full_story(
    script_id: ScriptIdQuery,
    clients: StoryClientsDep,
    credentials: ForwardedCredentials,
    filter_by_character: Annotated[
        IdParam | None, Query(alias="filterByCharacter", description="A character's id.")
    ] = None,
    filter_by_context: Annotated[
        str | None,
        Query(
            alias="filterByContext",
            min_length=1,
            max_length=300,
            pattern=r"^[^=]+(=.*)?$",
            description="`key` or `key=value`.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> FullStory:
    context = None if filter_by_context is None else ContextFilter.parse(filter_by_context)
    query = StoryQuery(filter_by_character, context, limit, offset)
    data = await fetch_story(clients, script_id, credentials=credentials)
    return full_story(data, query)


@router.get(
    "/stories/sequences",
    dependencies=[READER],
    operation_id="getStorySequences",
    summary="A window of a script's reading order: the elements numbered "
    "startSequence..endSequence, flat, with their content.",
    description=f"At most {MAX_WINDOW} numbers per window; `endSequence` defaults to "
    "`startSequence` + 99. Every entry of the order is shown, characters and the script too.",
    responses=problem_responses(NotFound, UnprocessableEntity, UpstreamUnavailable),
)
async def get_story_sequences(
    script_id: ScriptIdQuery,
    clients: StoryClientsDep,
    credentials: ForwardedCredentials,
    start_sequence: Annotated[SequenceQuery, Query(alias="startSequence")] = 1,
    end_sequence: Annotated[SequenceQuery | None, Query(alias="endSequence")] = None,
) -> StoryWindow:
    end = start_sequence + 99 if end_sequence is None else end_sequence
    if end < start_sequence:
        raise UnprocessableEntity(
            "endSequence is before startSequence", extra={"field": "endSequence"}
        )
    if end - start_sequence + 1 > MAX_WINDOW:
        raise UnprocessableEntity(
            f"a window holds at most {MAX_WINDOW} numbers", extra={"field": "endSequence"}
        )
    data = await fetch_story(clients, script_id, credentials=credentials, contexts=True)
    return story_window(data, start_sequence, end)
