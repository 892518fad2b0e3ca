"""Typed client of the Characters service: characters, actions and lines of a script, batches of
them, and discarding an unfinished import's elements."""

from fountainai.core.clients.characters.client import CharactersClient
from fountainai.core.clients.characters.models import (
    Action,
    ActionBatchItem,
    Character,
    CharacterBatchItem,
    DiscardCounts,
    Line,
    LineBatchItem,
)
from fountainai.core.clients.characters.wiring import (
    CharactersDep,
    characters_client,
    get_characters_client,
)

__all__ = [
    "Action",
    "ActionBatchItem",
    "Character",
    "CharacterBatchItem",
    "CharactersClient",
    "CharactersDep",
    "DiscardCounts",
    "Line",
    "LineBatchItem",
    "characters_client",
    "get_characters_client",
]
