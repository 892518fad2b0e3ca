"""Typed client of the Characters service: characters, actions and lines of a script."""

from fountainai.core.clients.characters.client import CharactersClient
from fountainai.core.clients.characters.models import Action, Character, Line
from fountainai.core.clients.characters.wiring import (
    CharactersDep,
    characters_client,
    get_characters_client,
)

__all__ = [
    "Action",
    "Character",
    "CharactersClient",
    "CharactersDep",
    "Line",
    "characters_client",
    "get_characters_client",
]
