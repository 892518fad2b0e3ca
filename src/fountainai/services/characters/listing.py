"""Filters of the action and line listings (``listLines``: script, character, section, speech,
keyword), and how they find the script whose reading order sorts the result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement

from fountainai.core import NotFound, UnprocessableEntity
from fountainai.services.characters.models import Action, Character, SpokenWord


class _Service(Protocol):
    async def check_script(self, script_id: int) -> None: ...

    @property
    def writer(self) -> Any: ...


@dataclass(frozen=True)
class Filters:
    script_id: int | None = None
    character_id: int | None = None
    section_id: int | None = None
    speech_id: int | None = None
    keyword: str | None = None

    async def resolve_script(self, service: _Service) -> int:
        """The script listed: ``scriptId``, else the character's (404 if either is missing)."""
        if self.character_id is not None:
            character = await service.writer.session.get(Character, self.character_id)
            if character is None:
                raise NotFound(f"character {self.character_id} does not exist")
            if self.script_id is None:
                return int(character.script_id)
        if self.script_id is None:
            raise UnprocessableEntity(
                "give scriptId or characterId: a listing is one script's reading order",
                extra={"field": "scriptId"},
            )
        await service.check_script(self.script_id)
        return self.script_id

    def where(self, model: type[Action] | type[SpokenWord]) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.character_id is not None:
            conditions.append(model.character_id == self.character_id)
        if self.speech_id is not None and model is SpokenWord:
            conditions.append(SpokenWord.speech_id == self.speech_id)
        if self.keyword:
            pattern = "%" + _escape_like(self.keyword) + "%"
            conditions.append(model.text.ilike(pattern, escape="\\"))
        return conditions


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
