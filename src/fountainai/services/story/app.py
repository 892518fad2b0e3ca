"""``create_app``: the Story Factory (port 8008)."""

from __future__ import annotations

from fastapi import FastAPI

from fountainai.core import ServiceDefinition, create_service_app
from fountainai.core.clients import (
    characters_client,
    scripts_client,
    sequence_client,
    sessions_client,
)
from fountainai.core.db import Migrations
from fountainai.services.story.api import routers
from fountainai.services.story.config import StorySettings

DEFINITION = ServiceDefinition(
    name="story",
    title="FountainAI Story Factory",
    description=(
        "Whole screenplays: import a Fountain, FDX or JSON file as a new script in one "
        "all-or-nothing operation (through the Scripts and Characters services' batch "
        "endpoints, then one reorder at Central Sequence); read a script back assembled in "
        "reading order, sections nesting their elements, characters resolved and contexts "
        "attached; or export it as a file that imports back to the same story. Every call to "
        "another service is made with the caller's own credentials."
    ),
    routers=routers,
    migrations=Migrations(service="story", package="fountainai.services.story.migrations"),
    openapi_tags=[
        {"name": "imports", "description": "Screenplay files in, as new scripts."},
        {"name": "stories", "description": "Scripts assembled in reading order, and exports."},
    ],
    lifespan_hooks=(sequence_client, scripts_client, characters_client, sessions_client),
)


def create_app(settings: StorySettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or StorySettings())
