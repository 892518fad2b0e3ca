"""What every kind of this service checks before it writes: its script and section (in the
Scripts service, asked with the caller's credentials) and its character (here)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from fountainai.core import ApiModel, AppError, Conflict, NotFound, UnprocessableEntity
from fountainai.core.clients import ScriptsClient
from fountainai.core.story import ElementRead, ElementWriter, PlacedService, ScriptElementColumns
from fountainai.services.characters.models import Character
from fountainai.services.characters.paraphrases.service import ParaphraseService

Checker = Callable[[int], Awaitable[None]]
RowT = TypeVar("RowT", bound=ScriptElementColumns)
StateT = TypeVar("StateT", bound=ApiModel)
ReadT = TypeVar("ReadT", bound=ElementRead)


class ScriptRefs:
    """References into the Scripts service, each looked up at most once per request."""

    def __init__(self, scripts: ScriptsClient, credentials: Mapping[str, str]) -> None:
        self.scripts = scripts
        self.credentials = credentials
        self._known_scripts: set[int] = set()
        self._script_of_section: dict[int, int] = {}

    async def script(self, script_id: int) -> None:
        """``NotFound`` unless the script exists."""
        if script_id not in self._known_scripts:
            await self.scripts.get_script(script_id, credentials=self.credentials)
            self._known_scripts.add(script_id)

    async def load_sections(self, script_id: int) -> None:
        """Learn all of a script's section ids at once, in one cheap read (a batch checks many)."""
        for section_id in await self.scripts.section_ids_of(
            script_id, credentials=self.credentials
        ):
            self._script_of_section[section_id] = script_id

    async def section_of(self, section_id: int, script_id: int, *, field: str) -> None:
        """422 unless ``section_id`` is a section of ``script_id``."""
        owner = self._script_of_section.get(section_id)
        if owner is None:
            try:
                section = await self.scripts.get_section(section_id, credentials=self.credentials)
            except NotFound:
                section = None
            if section is not None:
                owner = self._script_of_section[section_id] = section.script_id
        if owner != script_id:
            raise UnprocessableEntity(
                f"{field} {section_id} is not a section of script {script_id}",
                extra={"field": field},
            )


class ElementService(PlacedService[RowT, StateT, ReadT]):
    """A kind of this service: its script must exist, its section (if any) be one of the
    script's, and its character (if any) be one of the script's characters."""

    def __init__(self, writer: ElementWriter, refs: ScriptRefs, *, actor: str) -> None:
        super().__init__(writer, actor=actor)
        self.refs = refs
        # The element being restored: the state checked is then a kept version, not input.
        self.restoring: int | None = None

    async def check_script(self, script_id: int) -> None:
        await self.refs.script(script_id)

    async def remove(self, row: RowT, *, comment: str) -> None:
        """Its paraphrases go with it (each versioned, so each can be restored)."""
        paraphrases = ParaphraseService(self.writer, actor=self.actor)
        await paraphrases.delete_of(self.element_type(row), row.id, comment=comment)
        await super().remove(row, comment=comment)

    async def restore(
        self, element_id: int, version: int, *, comment: str, position: int | None = None
    ) -> ReadT:
        self.restoring = element_id
        return await super().restore(element_id, version, comment=comment, position=position)

    def refusal(self, detail: str, *, field: str) -> AppError:
        """A reference the state may not have: bad input (422), but while restoring a version
        that was valid when kept, a conflict with what changed since (409)."""
        if self.restoring is not None:
            return Conflict(f"{self.noun} {self.restoring} cannot be restored: {detail}")
        return UnprocessableEntity(detail, extra={"field": field})

    async def check(self, state: StateT, *, script_id: int, current: RowT | None) -> None:
        await self.check_reference(state, current, "section_id", self._section_of(script_id))
        await self.check_reference(state, current, "character_id", self._character_of(script_id))

    async def create(
        self, script_id: int, body: ApiModel, *, position: int | None, comment: str
    ) -> ReadT:
        await self.script_in_body(script_id)
        return await super().create(script_id, body, position=position, comment=comment)

    async def script_in_body(self, script_id: int) -> None:
        """A body's ``scriptId`` must name a script: 422 (not 404) when it does not."""
        try:
            await self.check_script(script_id)
        except NotFound:
            raise UnprocessableEntity(
                f"scriptId {script_id} is not a script", extra={"field": "scriptId"}
            ) from None

    @staticmethod
    async def check_reference(state: Any, current: Any, name: str, checker: Checker) -> None:
        """Check ``state.<name>`` when it is set and differs from the element's current one."""
        value = getattr(state, name, None)
        if value is not None and (current is None or value != getattr(current, name)):
            await checker(value)

    def _section_of(self, script_id: int) -> Checker:
        async def check(section_id: int) -> None:
            try:
                await self.refs.section_of(section_id, script_id, field="sectionId")
            except UnprocessableEntity as refused:
                raise self.refusal(str(refused), field="sectionId") from None

        return check

    def _character_of(self, script_id: int) -> Checker:
        async def check(character_id: int) -> None:
            character = await self.writer.session.get(Character, character_id)
            if character is None or character.script_id != script_id:
                raise self.refusal(
                    f"characterId {character_id} is not a character of script {script_id}",
                    field="characterId",
                )

        return check
