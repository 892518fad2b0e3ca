"""The story service's view of the other services: one ``StoryClients`` per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fountainai.core.clients import CharactersDep, ScriptsDep, SequenceDep, SessionsDep
from fountainai.services.story.assembly.fetch import StoryClients


async def get_story_clients(
    scripts: ScriptsDep, characters: CharactersDep, sequence: SequenceDep, sessions: SessionsDep
) -> StoryClients:
    return StoryClients(scripts, characters, sequence, sessions)


StoryClientsDep = Annotated[StoryClients, Depends(get_story_clients)]
