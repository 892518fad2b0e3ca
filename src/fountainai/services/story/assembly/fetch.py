"""Everything a story is made of, fetched at once: the reading order from Central Sequence and
every element of the script from its owning service, as whole lists (paged 500 at a time),
requests in parallel (two rounds of four) — a fixed number of calls per 500 elements, never
one per element."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fountainai.core.clients import (
    CharactersClient,
    ScriptsClient,
    SequenceClient,
    SessionsClient,
)
from fountainai.core.clients.characters.models import Action, Character, Line
from fountainai.core.clients.scripts.models import Markup, Script, Section, Transition
from fountainai.core.clients.sequence.models import SequenceEntry


@dataclass(frozen=True, slots=True)
class StoryClients:
    scripts: ScriptsClient
    characters: CharactersClient
    sequence: SequenceClient
    sessions: SessionsClient


@dataclass(slots=True)
class StoryData:
    """One script's elements by identity; ``order`` is its reading order."""

    script: Script
    order: list[SequenceEntry]
    sections: dict[int, Section] = field(default_factory=dict)
    transitions: dict[int, Transition] = field(default_factory=dict)
    markup: dict[int, Markup] = field(default_factory=dict)
    characters: dict[int, Character] = field(default_factory=dict)
    actions: dict[int, Action] = field(default_factory=dict)
    lines: dict[int, Line] = field(default_factory=dict)
    contexts: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    def context_of(self, element_type: str, element_id: int) -> dict[str, Any] | None:
        return self.contexts.get((element_type, element_id))


async def fetch_story(
    clients: StoryClients,
    script_id: int,
    *,
    credentials: Mapping[str, str],
    contexts: bool = True,
) -> StoryData:
    """The script (``NotFound`` first, before anything else is asked) and all its elements."""
    script = await clients.scripts.get_script(script_id, credentials=credentials)
    scripts, characters = clients.scripts, clients.characters
    order, sections, transitions, markup = await asyncio.gather(
        clients.sequence.reading_order(script_id, credentials=credentials),
        scripts.sections_of(script_id, credentials=credentials),
        scripts.transitions_of(script_id, credentials=credentials),
        scripts.markup_of(script_id, credentials=credentials),
    )
    cast, actions, lines, context_list = await asyncio.gather(
        characters.characters_of(script_id, credentials=credentials),
        characters.actions(script_id=script_id, credentials=credentials),
        characters.lines(script_id=script_id, credentials=credentials),
        _contexts(clients, script_id, credentials, wanted=contexts),
    )
    return StoryData(
        script=script,
        order=order,
        sections={s.id: s for s in sections},
        transitions={t.id: t for t in transitions},
        markup={m.id: m for m in markup},
        characters={c.id: c for c in cast},
        actions={a.id: a for a in actions},
        lines={line.id: line for line in lines},
        contexts=context_list,
    )


async def _contexts(
    clients: StoryClients, script_id: int, credentials: Mapping[str, str], *, wanted: bool
) -> dict[tuple[str, int], dict[str, Any]]:
    if not wanted:
        return {}
    found = await clients.sessions.contexts_of_script(script_id, credentials=credentials)
    return {(c.target_type.value, c.target_id): c.values for c in found if c.values}
