"""Assembling a fetched story: filtered, paged and nested (``getFullStory``), or a window of
the reading order (``getStorySequences``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fountainai.core.elements import ElementType
from fountainai.services.story.assembly.fetch import StoryData
from fountainai.services.story.assembly.nodes import NOT_IN_STORY, nest, node_of
from fountainai.services.story.assembly.schemas import (
    CharacterSummary,
    FullStory,
    ScriptSummary,
    StoryNode,
    StoryWindow,
)


@dataclass(frozen=True, slots=True)
class ContextFilter:
    """``mood`` (has the key) or ``mood=tense`` (the key's value, as text, is ``tense``)."""

    key: str
    value: str | None = None

    @classmethod
    def parse(cls, text: str) -> ContextFilter:
        key, sep, value = text.partition("=")
        return cls(key.strip(), value if sep else None)

    def matches(self, context: dict[str, Any] | None) -> bool:
        if not context or self.key not in context:
            return False
        if self.value is None:
            return True
        found = context[self.key]
        return (found if isinstance(found, str) else json.dumps(found)) == self.value


@dataclass(frozen=True, slots=True)
class StoryQuery:
    character_id: int | None = None
    context: ContextFilter | None = None
    limit: int = 500
    offset: int = 0

    def keeps(self, node: StoryNode) -> bool:
        if self.character_id is not None and node.character_id != self.character_id:
            return False
        return self.context is None or self.context.matches(node.context)

    @property
    def filtered(self) -> bool:
        return self.character_id is not None or self.context is not None


def script_summary(data: StoryData) -> ScriptSummary:
    script = data.script
    return ScriptSummary(
        id=script.id,
        title=script.title,
        author=script.author,
        description=script.description,
        title_page=script.title_page,
        importing=script.importing,
        context=data.context_of(ElementType.SCRIPT.value, script.id),
    )


def story_nodes(data: StoryData) -> list[StoryNode]:
    """Every element of the story in reading order, flat (the script and characters aside)."""
    return [node_of(entry, data) for entry in data.order if entry.element_type not in NOT_IN_STORY]


def full_story(data: StoryData, query: StoryQuery) -> FullStory:
    nodes = story_nodes(data)
    if query.filtered:
        nodes = [
            node
            for node in nodes
            if node.element_type is not ElementType.SECTION or query.context is not None
            if query.keeps(node)
        ]
    page = nodes[query.offset : query.offset + query.limit]

    def container(section_id: int) -> StoryNode:
        section = data.sections[section_id]
        return StoryNode(
            element_type=ElementType.SECTION,
            element_id=section_id,
            sequence_number=None,
            section_id=section.parent_id,
            kind=section.kind.value,
            title=section.title,
            heading=section.heading,
            continued=True,
            context=data.context_of(ElementType.SECTION.value, section_id),
        )

    characters = sorted(data.characters.values(), key=lambda c: (c.sequence_number or 0, c.id))
    return FullStory(
        script=script_summary(data),
        characters=[
            CharacterSummary(
                id=c.id,
                name=c.name,
                aliases=list(c.aliases),
                description=c.description,
                context=data.context_of(ElementType.CHARACTER.value, c.id),
            )
            for c in characters
        ],
        total_count=len(nodes),
        limit=query.limit,
        offset=query.offset,
        elements=nest(page, data, container),
    )


def story_window(data: StoryData, start: int, end: int) -> StoryWindow:
    entries = [e for e in data.order if start <= e.sequence_number <= end]
    return StoryWindow(
        script_id=data.script.id,
        start_sequence=start,
        end_sequence=end,
        total_count=len(data.order),
        elements=[node_of(entry, data) for entry in entries],
    )
