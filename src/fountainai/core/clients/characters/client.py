"""``CharactersClient``: typed calls to the Characters service, made with the caller's own
credentials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from fountainai.core.app import API_PREFIX
from fountainai.core.clients.base import TypedClient
from fountainai.core.clients.characters.models import (
    Action,
    ActionBatchItem,
    ActionCreateRequest,
    BatchRequest,
    Character,
    CharacterBatchItem,
    CharacterCreateRequest,
    Created,
    DiscardCounts,
    Line,
    LineBatchItem,
    LineCreateRequest,
)
from fountainai.core.schemas import MAX_PAGE_SIZE, Page

T = TypeVar("T")

CHARACTERS_PATH: Final = f"{API_PREFIX}/characters"
ACTIONS_PATH: Final = f"{API_PREFIX}/actions"
LINES_PATH: Final = f"{API_PREFIX}/lines"


def _body(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _params(**values: str | int | None) -> dict[str, str | int]:
    return {name: value for name, value in values.items() if value is not None}


class CharactersClient(TypedClient):
    """The Characters service over one pooled ``ServiceClient``; create in the lifespan, keep on
    state.

    Every call takes ``credentials``: the end caller's own auth header (see
    ``forwarded_credentials``), so the characters service checks that caller's roles itself.
    Reads are retried on transport errors and 502/503/504; creations are not idempotent and get
    one attempt. Failures raise what ``errors.translate`` maps them to. Listings walk every page,
    each a separate read: a write between two of them may skew the result.
    """

    service_name = "Characters"

    # --- characters ---------------------------------------------------------------------------

    async def get_character(
        self, character_id: int, *, credentials: Mapping[str, str]
    ) -> Character:
        """One character (``NotFound`` if there is no such one)."""
        return await self._call(
            "GET",
            f"{CHARACTERS_PATH}/{int(character_id)}",
            model=Character,
            credentials=credentials,
        )

    async def characters_of(
        self,
        script_id: int,
        *,
        name: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        credentials: Mapping[str, str],
    ) -> list[Character]:
        """Every character of a script in reading order (or those with ``name`` as their name
        or an alias, in any case); ``NotFound`` if there is no such script."""
        return await self._every(
            f"{CHARACTERS_PATH}/scripts/{int(script_id)}",
            Page[Character],
            filters=_params(name=name),
            page_size=page_size,
            credentials=credentials,
        )

    async def create_character(
        self,
        script_id: int,
        name: str,
        *,
        description: str = "",
        aliases: Sequence[str] = (),
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Character:
        """Add a character to a script (appended to its reading order, or inserted at
        ``position``); writers only, never retried. ``Conflict`` if a name is taken there."""
        body = CharacterCreateRequest(
            script_id=script_id,
            name=name,
            description=description,
            aliases=list(aliases),
            position=position,
            comment=comment,
        )
        return await self._create(CHARACTERS_PATH, body, Character, credentials=credentials)

    # --- actions ------------------------------------------------------------------------------

    async def get_action(self, action_id: int, *, credentials: Mapping[str, str]) -> Action:
        """One action (``NotFound`` if there is no such one)."""
        return await self._call(
            "GET", f"{ACTIONS_PATH}/{int(action_id)}", model=Action, credentials=credentials
        )

    async def actions(
        self,
        *,
        script_id: int | None = None,
        character_id: int | None = None,
        section_id: int | None = None,
        keyword: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        credentials: Mapping[str, str],
    ) -> list[Action]:
        """Every action of a script (``script_id``, or else ``character_id``'s script) in
        reading order, kept to those about ``character_id``, in ``section_id`` and containing
        ``keyword`` (any case) where given. One of the first two is needed (else 422)."""
        filters = _params(
            scriptId=script_id, characterId=character_id, sectionId=section_id, keyword=keyword
        )
        return await self._every(
            ACTIONS_PATH,
            Page[Action],
            filters=filters,
            page_size=page_size,
            credentials=credentials,
        )

    async def create_action(
        self,
        script_id: int,
        text: str,
        *,
        section_id: int | None = None,
        character_id: int | None = None,
        forced: bool = False,
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Action:
        """Add an action (appended, or inserted at ``position``); writers only, never retried."""
        body = ActionCreateRequest(
            script_id=script_id,
            text=text,
            section_id=section_id,
            character_id=character_id,
            forced=forced,
            position=position,
            comment=comment,
        )
        return await self._create(ACTIONS_PATH, body, Action, credentials=credentials)

    # --- lines --------------------------------------------------------------------------------

    async def get_line(self, line_id: int, *, credentials: Mapping[str, str]) -> Line:
        """One line (``NotFound`` if there is no such one)."""
        return await self._call(
            "GET", f"{LINES_PATH}/{int(line_id)}", model=Line, credentials=credentials
        )

    async def lines(
        self,
        *,
        script_id: int | None = None,
        character_id: int | None = None,
        section_id: int | None = None,
        speech_id: int | None = None,
        keyword: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        credentials: Mapping[str, str],
    ) -> list[Line]:
        """Every line of a script (``script_id``, or else ``character_id``'s script) in reading
        order, kept to ``character_id``'s, those in ``section_id`` or ``speech_id`` and those
        containing ``keyword`` (any case) where given. One of the first two is needed (else
        422)."""
        filters = _params(
            scriptId=script_id,
            characterId=character_id,
            sectionId=section_id,
            speechId=speech_id,
            keyword=keyword,
        )
        return await self._every(
            LINES_PATH, Page[Line], filters=filters, page_size=page_size, credentials=credentials
        )

    async def create_line(
        self,
        script_id: int,
        character_id: int,
        text: str,
        *,
        section_id: int | None = None,
        speech_id: int | None = None,
        parenthetical: str = "",
        extensions: Sequence[str] = (),
        dual: bool = False,
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Line:
        """Add a line spoken by ``character_id`` (appended, or inserted at ``position``); it
        continues ``speech_id`` if given, else starts a speech. Writers only, never retried."""
        body = LineCreateRequest(
            script_id=script_id,
            character_id=character_id,
            text=text,
            section_id=section_id,
            speech_id=speech_id,
            parenthetical=parenthetical,
            extensions=list(extensions),
            dual=dual,
            position=position,
            comment=comment,
        )
        return await self._create(LINES_PATH, body, Line, credentials=credentials)

    # --- batches (a screenplay import's way in) ------------------------------------------------

    async def create_characters(
        self,
        script_id: int,
        items: Sequence[CharacterBatchItem],
        *,
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> list[Character]:
        """Add many characters in the order they enter the script: one transaction, numbered
        with one call (appended, or the block inserted at ``position``); in item order. Writers
        only, never retried; a refused item is named by its index (``items[3]: ...``)."""
        return await self._batch(
            f"{CHARACTERS_PATH}/batch",
            Created[Character],
            BatchRequest[CharacterBatchItem](
                script_id=script_id, items=list(items), position=position, comment=comment
            ),
            credentials=credentials,
        )

    async def create_actions(
        self,
        script_id: int,
        items: Sequence[ActionBatchItem],
        *,
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> list[Action]:
        """Add many actions in reading order, like ``create_characters``."""
        return await self._batch(
            f"{ACTIONS_PATH}/batch",
            Created[Action],
            BatchRequest[ActionBatchItem](
                script_id=script_id, items=list(items), position=position, comment=comment
            ),
            credentials=credentials,
        )

    async def create_lines(
        self,
        script_id: int,
        items: Sequence[LineBatchItem],
        *,
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> list[Line]:
        """Add many lines in reading order, grouped in speeches by ``speech_id`` or a
        batch-local ``speech_key``, like ``create_characters``."""
        return await self._batch(
            f"{LINES_PATH}/batch",
            Created[Line],
            BatchRequest[LineBatchItem](
                script_id=script_id, items=list(items), position=position, comment=comment
            ),
            credentials=credentials,
        )

    async def discard_script_elements(
        self, script_id: int, *, comment: str = "", credentials: Mapping[str, str]
    ) -> DiscardCounts:
        """Delete every character, action, line and paraphrase of an unfinished import at once
        (no versions kept); ``Conflict`` unless the script is still ``importing``, ``NotFound``
        if the Scripts service has no such script. Retried like any DELETE: a repeat finds
        nothing left and answers zero counts."""
        return await self._call(
            "DELETE",
            f"{CHARACTERS_PATH}/scripts/{int(script_id)}/elements",
            model=DiscardCounts,
            credentials=credentials,
            params={"comment": comment} if comment else None,
        )

    # --- shared -------------------------------------------------------------------------------

    async def _batch(
        self,
        path: str,
        answer: type[Created[T]],
        body: BaseModel,
        *,
        credentials: Mapping[str, str],
    ) -> list[T]:
        created = await self._create(path, body, answer, credentials=credentials)
        return created.items

    async def _create(
        self, path: str, body: BaseModel, model: type[T], *, credentials: Mapping[str, str]
    ) -> T:
        return await self._call(
            "POST", path, model=model, credentials=credentials, json=_body(body), idempotent=False
        )
