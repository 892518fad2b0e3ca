"""The import's calls to the owning services, made with the importing user's credentials
(so every service checks that user's rights itself)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends

from fountainai.core import NotFound
from fountainai.core.clients import ElementRef, ForwardedCredentials, TitlePageEntry
from fountainai.core.clients.characters.models import (
    ActionBatchItem,
    CharacterBatchItem,
    LineBatchItem,
)
from fountainai.core.clients.scripts.models import (
    BatchMarkupItem,
    BatchSectionItem,
    BatchTransitionItem,
    ScriptsBatchItem,
)
from fountainai.core.elements import ElementType
from fountainai.services.story.assembly.fetch import StoryClients
from fountainai.services.story.clients import StoryClientsDep


def _scripts_item(item: dict[str, Any]) -> ScriptsBatchItem:
    kind = item.get("elementType")
    if kind == "section":
        return BatchSectionItem.model_validate(item)
    if kind == "transition":
        return BatchTransitionItem.model_validate(item)
    return BatchMarkupItem.model_validate(item)


class ServicePlatform:
    def __init__(self, clients: StoryClients, credentials: Mapping[str, str]) -> None:
        self.clients = clients
        self.credentials = credentials

    async def create_script(
        self, *, title: str, author: str, title_page: list[dict[str, str]], comment: str
    ) -> tuple[str, int]:
        script = await self.clients.scripts.create_script(
            title,
            author=author,
            title_page=[TitlePageEntry.model_validate(entry) for entry in title_page],
            importing=True,
            comment=comment,
            credentials=self.credentials,
        )
        return ElementType.SCRIPT.value, script.id

    async def create_scripts_elements(
        self, script_id: int, items: list[dict[str, Any]], *, comment: str
    ) -> list[int]:
        result = await self.clients.scripts.create_elements(
            script_id,
            [_scripts_item(item) for item in items],
            comment=comment,
            credentials=self.credentials,
        )
        return [entry.element_id for entry in result.elements]

    async def create_characters(
        self, script_id: int, items: list[dict[str, Any]], *, comment: str
    ) -> list[int]:
        created = await self.clients.characters.create_characters(
            script_id,
            [CharacterBatchItem.model_validate(item) for item in items],
            comment=comment,
            credentials=self.credentials,
        )
        return [character.id for character in created]

    async def create_actions(
        self, script_id: int, items: list[dict[str, Any]], *, comment: str
    ) -> list[int]:
        created = await self.clients.characters.create_actions(
            script_id,
            [ActionBatchItem.model_validate(item) for item in items],
            comment=comment,
            credentials=self.credentials,
        )
        return [action.id for action in created]

    async def create_lines(
        self, script_id: int, items: list[dict[str, Any]], *, comment: str
    ) -> list[int]:
        created = await self.clients.characters.create_lines(
            script_id,
            [LineBatchItem.model_validate(item) for item in items],
            comment=comment,
            credentials=self.credentials,
        )
        return [line.id for line in created]

    async def reorder(self, script_id: int, order: list[tuple[str, int]], *, comment: str) -> None:
        await self.clients.sequence.reorder(
            script_id,
            order=[
                ElementRef(element_type=ElementType(kind), element_id=element_id)
                for kind, element_id in order
            ],
            comment=comment,
            credentials=self.credentials,
        )

    async def finish(self, script_id: int, *, comment: str) -> None:
        await self.clients.scripts.finish_import(
            script_id, comment=comment, credentials=self.credentials
        )

    async def discard(self, script_id: int, *, comment: str) -> None:
        """The Characters service's elements first (the script may not go while it has
        elements elsewhere), then the script with its own. Already gone counts as done."""
        try:
            await self.clients.characters.discard_script_elements(
                script_id, comment=comment, credentials=self.credentials
            )
            await self.clients.scripts.delete_script(
                script_id, cascade=True, comment=comment, credentials=self.credentials
            )
        except NotFound:
            return


async def get_platform(
    clients: StoryClientsDep, credentials: ForwardedCredentials
) -> ServicePlatform:
    return ServicePlatform(clients, credentials)


PlatformDep = Annotated[ServicePlatform, Depends(get_platform)]
