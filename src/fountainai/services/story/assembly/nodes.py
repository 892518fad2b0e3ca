"""Reading-order entries as story nodes, and nodes nested into their sections."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fountainai.core.clients.sequence.models import SequenceEntry
from fountainai.core.elements import ElementType
from fountainai.services.story.assembly.fetch import StoryData
from fountainai.services.story.assembly.schemas import StoryNode

MARKUP_TYPES = frozenset(
    {
        ElementType.NOTE,
        ElementType.LYRIC,
        ElementType.CENTERED,
        ElementType.PAGE_BREAK,
        ElementType.SYNOPSIS,
    }
)
# Not printed as part of the story: the script itself, and characters (listed once instead).
NOT_IN_STORY = frozenset({ElementType.SCRIPT, ElementType.CHARACTER, ElementType.PARAPHRASE})


def node_of(entry: SequenceEntry, data: StoryData) -> StoryNode:
    kind, element_id = entry.element_type, entry.element_id
    node = StoryNode(
        element_type=kind,
        element_id=element_id,
        sequence_number=entry.sequence_number,
        context=data.context_of(kind.value, element_id),
    )
    if kind is ElementType.SECTION and element_id in data.sections:
        section = data.sections[element_id]
        node.kind, node.title, node.heading = section.kind.value, section.title, section.heading
        node.section_id = section.parent_id
    elif kind is ElementType.ACTION and element_id in data.actions:
        action = data.actions[element_id]
        node.text, node.forced, node.section_id = action.text, action.forced, action.section_id
        _speaker(node, action.character_id, data)
    elif kind is ElementType.SPOKEN_WORD and element_id in data.lines:
        line = data.lines[element_id]
        node.text, node.section_id, node.speech_id = line.text, line.section_id, line.speech_id
        node.parenthetical, node.extensions, node.dual = (
            line.parenthetical,
            list(line.extensions),
            line.dual,
        )
        _speaker(node, line.character_id, data)
    elif kind is ElementType.TRANSITION and element_id in data.transitions:
        transition = data.transitions[element_id]
        node.text, node.forced = transition.text, transition.forced
        node.section_id = transition.section_id
    elif kind in MARKUP_TYPES and element_id in data.markup:
        markup = data.markup[element_id]
        node.text, node.section_id = markup.text, markup.section_id
    elif kind is ElementType.CHARACTER and element_id in data.characters:
        node.character_id = element_id
        node.character_name = data.characters[element_id].name
    return node


def _speaker(node: StoryNode, character_id: int | None, data: StoryData) -> None:
    node.character_id = character_id
    if character_id is not None and character_id in data.characters:
        node.character_name = data.characters[character_id].name


def ancestors(section_id: int | None, data: StoryData) -> list[int]:
    """``section_id`` and the sections above it, outermost first (stops at a cycle)."""
    chain: list[int] = []
    while section_id is not None and section_id in data.sections and section_id not in chain:
        chain.append(section_id)
        section_id = data.sections[section_id].parent_id
    return chain[::-1]


def nest(
    nodes: Iterable[StoryNode],
    data: StoryData,
    container: Callable[[int], StoryNode],
) -> list[StoryNode]:
    """Put each node inside its section: sections on the page hold what follows them; a
    section not on the page appears as a ``continued`` container made by ``container``."""
    roots: list[StoryNode] = []
    open_path: list[StoryNode] = []
    for node in nodes:
        is_section = node.element_type is ElementType.SECTION
        chain = ancestors(node.section_id, data)
        depth = 0
        while (
            depth < len(open_path)
            and depth < len(chain)
            and open_path[depth].element_id == chain[depth]
        ):
            depth += 1
        del open_path[depth:]
        for section_id in chain[depth:]:
            holder = container(section_id)
            _append(roots, open_path, holder)
            open_path.append(holder)
        _append(roots, open_path, node)
        if is_section:
            open_path.append(node)
    return roots


def _append(roots: list[StoryNode], open_path: list[StoryNode], node: StoryNode) -> None:
    if open_path:
        parent = open_path[-1]
        if parent.elements is None:
            parent.elements = []
        parent.elements.append(node)
    else:
        roots.append(node)
