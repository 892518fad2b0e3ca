"""Putting one ``CharactersClient`` on ``app.state.characters`` for the app's lifetime."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fountainai.core.clients.base import client_dependency, client_hook
from fountainai.core.clients.characters.client import CharactersClient

characters_client = client_hook(CharactersClient, state="characters", url_setting="characters_url")
get_characters_client = client_dependency(
    CharactersClient, state="characters", hook_name="characters_client"
)
CharactersDep = Annotated[CharactersClient, Depends(get_characters_client)]
