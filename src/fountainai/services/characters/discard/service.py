"""The rules of a discard: only while the script is an unfinished import (asked at the Scripts
service with the caller's credentials), at most ``max_elements`` numbered elements, one
transaction here and one atomic removal at Central Sequence. No versions are kept: an unfinished
import is not work anyone can restore."""

from __future__ import annotations

from fountainai.core import Conflict
from fountainai.core.clients import ScriptsClient
from fountainai.core.elements import ElementType
from fountainai.core.story import ElementWriter
from fountainai.core.story.writer import Key
from fountainai.services.characters.discard.repository import (
    DELETE_ORDER,
    DiscardRepository,
    Model,
)
from fountainai.services.characters.discard.schemas import DiscardCounts
from fountainai.services.characters.models import Action, Character, Paraphrase, SpokenWord

NUMBERED: dict[Model, ElementType] = {
    Character: ElementType.CHARACTER,
    Action: ElementType.ACTION,
    SpokenWord: ElementType.SPOKEN_WORD,
}


class DiscardService:
    def __init__(self, writer: ElementWriter, scripts: ScriptsClient, *, max_elements: int) -> None:
        self.writer = writer
        self.scripts = scripts
        self.max_elements = max_elements
        self.repo = DiscardRepository(writer.session)

    async def discard(self, script_id: int, *, comment: str) -> DiscardCounts:
        """Everything of this service in the script, gone; how many of each kind."""
        await self._check_importing(script_id)
        numbered = 0
        for model in NUMBERED:
            numbered += await self.repo.count(model, script_id)
        if numbered > self.max_elements:
            raise Conflict(
                f"script {script_id} has {numbered} characters, actions and lines; at most "
                f"{self.max_elements} can be discarded in one request"
            )
        deleted = {model: await self.repo.delete_all(model, script_id) for model in DELETE_ORDER}
        await self.writer.session.flush()
        # In the order they were created in, kind by kind (characters first).
        refs: list[Key] = [
            (kind, element_id) for model, kind in NUMBERED.items() for element_id in deleted[model]
        ]
        await self.writer.removed_many(
            script_id, refs, comment=comment or "an unfinished import discarded"
        )
        await self.writer.outbox.add_many(
            ElementType.PARAPHRASE, dict.fromkeys(deleted[Paraphrase]), operation="delete"
        )
        return DiscardCounts(
            characters=len(deleted[Character]),
            actions=len(deleted[Action]),
            lines=len(deleted[SpokenWord]),
            paraphrases=len(deleted[Paraphrase]),
        )

    async def _check_importing(self, script_id: int) -> None:
        """``NotFound`` if the Scripts service has no such script, 409 unless it is still an
        unfinished import, 503 if it cannot say."""
        script = await self.scripts.get_script(script_id, credentials=self.writer.credentials)
        if not script.importing:
            raise Conflict(
                f"script {script_id} is not an unfinished import: only an unfinished import "
                "can be discarded at once; delete elements one by one"
            )
