"""What sessions and contexts may refer to: live story elements, as Central Sequence knows them.

Every live element of every story service has a number there (a script in its own order), and a
deleted one loses it; so "has a number" is what "exists" means here. Asked with the caller's own
credentials; an unreachable Central Sequence is a 503 with Retry-After (the client maps it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends

from fountainai.core import NotFound
from fountainai.core.clients import ForwardedCredentials, SequenceClient, SequenceDep
from fountainai.core.elements import ElementType


class StoryReferences:
    def __init__(self, sequence: SequenceClient, credentials: Mapping[str, str]) -> None:
        self.sequence = sequence
        self.credentials = credentials

    async def is_live(self, element_type: ElementType, element_id: int) -> bool:
        """True if Central Sequence numbers the element (it exists and is not deleted)."""
        return await self.script_of(element_type, element_id) is not None

    async def script_of(self, element_type: ElementType, element_id: int) -> int | None:
        """The live element's script (a script's: itself), or None if it has no number."""
        try:
            number = await self.sequence.get_number(
                element_type, element_id, credentials=self.credentials
            )
        except NotFound:
            return None
        return number.script_id


async def get_story_references(
    sequence: SequenceDep, credentials: ForwardedCredentials
) -> StoryReferences:
    return StoryReferences(sequence, credentials)


StoryReferencesDep = Annotated[StoryReferences, Depends(get_story_references)]
