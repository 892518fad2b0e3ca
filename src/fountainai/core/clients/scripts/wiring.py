"""Putting one ``ScriptsClient`` on ``app.state.scripts`` for the app's lifetime."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fountainai.core.clients.base import client_dependency, client_hook
from fountainai.core.clients.scripts.client import ScriptsClient

scripts_client = client_hook(ScriptsClient, state="scripts", url_setting="scripts_url")
get_scripts_client = client_dependency(ScriptsClient, state="scripts", hook_name="scripts_client")
ScriptsDep = Annotated[ScriptsClient, Depends(get_scripts_client)]
