"""The rules of characters: one script each, names and aliases unique in it (any case)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import func, select, text

from fountainai.core import ApiModel, Conflict, UnprocessableEntity
from fountainai.core.elements import ElementType
from fountainai.core.story import ElementWriter
from fountainai.services.characters.characters.schemas import CharacterRead, CharacterState
from fountainai.services.characters.models import Action, Character, SpokenWord
from fountainai.services.characters.placement import ElementService, ScriptRefs


def name_key(name: str) -> str:
    return name.casefold()


def _names_lock(script_id: int) -> int:
    """The advisory-lock key of one script's character names (a signed 64-bit integer)."""
    digest = hashlib.blake2b(f"characters-names:{script_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class CharacterService(ElementService[Character, CharacterState, CharacterRead]):
    noun = "character"
    model = Character
    state_type = CharacterState
    read_type = CharacterRead
    element_types = (ElementType.CHARACTER,)

    def __init__(self, writer: ElementWriter, refs: ScriptRefs, *, actor: str) -> None:
        super().__init__(writer, refs, actor=actor)
        # The names of characters prepared in this request but maybe not inserted yet (a batch
        # inserts them all at the end): later ones must not take them either.
        self._prepared: dict[str, str] = {}
        # The names the script had when first asked, by script (read under the names lock,
        # which is held to commit: no one else adds one meanwhile).
        self._names_before: dict[int, dict[str, str]] = {}

    async def prepare(
        self, script_id: int, body: ApiModel, *, element_id: int | None = None
    ) -> Character:
        row = await super().prepare(script_id, body, element_id=element_id)
        for name in [row.name, *row.aliases]:
            self._prepared[name_key(name)] = name
        return row

    async def check(
        self, state: CharacterState, *, script_id: int, current: Character | None
    ) -> None:
        own = [state.name, *state.aliases]
        keys = [name_key(name) for name in own]
        if len(set(keys)) != len(keys):
            raise UnprocessableEntity(
                "a character's name and aliases must differ from each other (in any case)",
                extra={"field": "aliases"},
            )
        if current is None:
            taken = {**await self._names_taken_by_new(script_id), **self._prepared}
        else:
            taken = await self._names_taken(script_id, besides=current.id)
        for name, key in zip(own, keys, strict=True):
            if key in taken:
                raise Conflict(
                    f"script {script_id} already has a character called {taken[key]!r}: "
                    f"{name!r} would be ambiguous"
                )

    def assign(self, row: Character, state: CharacterState) -> None:
        super().assign(row, state)
        row.name_key = name_key(state.name)

    async def remove(self, row: Character, *, comment: str) -> None:
        """Refused (409) while actions or lines name the character. The row is locked first
        (``delete``), so an action or line being written that names it (holding a key lock on
        it, PostgreSQL) makes the count wait and see it."""
        users = 0
        for model in (Action, SpokenWord):
            query = select(func.count()).where(model.character_id == row.id)
            users += (await self.writer.session.execute(query)).scalar_one()
        if users:
            raise Conflict(
                f"character {row.id} still has {users} actions or lines; "
                "delete or reassign them first"
            )
        await super().remove(row, comment=comment)

    async def of_script(self, script_id: int, *, name: str | None) -> list[CharacterRead]:
        """The script's characters in reading order; ``name`` matches a name or alias (any case)."""
        characters = await self.in_script(script_id, section_id=None)
        if name is None:
            return characters
        key = name_key(name)
        return [c for c in characters if key in {name_key(n) for n in [c.name, *c.aliases]}]

    async def _names_taken_by_new(self, script_id: int) -> dict[str, str]:
        """What a new character may not be called: read once per request and script."""
        if script_id not in self._names_before:
            self._names_before[script_id] = await self._names_taken(script_id, besides=None)
        return self._names_before[script_id]

    async def _names_taken(self, script_id: int, *, besides: int | None) -> dict[str, str]:
        """Every name and alias of the script's other characters, by key; on PostgreSQL under a
        per-script lock held to commit, as aliases have no unique index (SQLite serialises
        writers anyway)."""
        session = self.writer.session
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _names_lock(script_id)}
            )
        query = select(Character).where(Character.script_id == script_id)
        others: Sequence[Character] = (await self.writer.session.execute(query)).scalars().all()
        taken: dict[str, str] = {}
        for other in others:
            if other.id != besides:
                for name in [other.name, *other.aliases]:
                    taken[name_key(name)] = name
        return taken
