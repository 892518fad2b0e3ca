"""``create_app``: the Characters service (port 8005)."""

from __future__ import annotations

from fastapi import FastAPI

from fountainai.core import ServiceDefinition, create_service_app
from fountainai.core.clients import scripts_client, sequence_client
from fountainai.core.db import Migrations
from fountainai.core.outbox import no_search_yet, outbox_relay_hook
from fountainai.services.characters.api import routers
from fountainai.services.characters.config import CharactersSettings
from fountainai.services.characters.models import outbox

DEFINITION = ServiceDefinition(
    name="characters",
    title="FountainAI Characters",
    description=(
        "The people of a screenplay and what they do and say: characters (unique per script in "
        "any case, with aliases), actions, lines of dialogue grouped in speeches (with "
        "parentheticals, extensions such as V.O., dual dialogue), and paraphrases of any "
        "element. Scripts and sections are checked with the Scripts service; every element is "
        "numbered by Central Sequence before it is committed, versioned there before every "
        "change (and restorable, even after deletion), and queued for search."
    ),
    routers=routers,
    migrations=Migrations(
        service="characters", package="fountainai.services.characters.migrations"
    ),
    openapi_tags=[
        {"name": "characters", "description": "A script's characters."},
        {"name": "actions", "description": "What happens on screen."},
        {"name": "lines", "description": "Dialogue, grouped in speeches."},
        {"name": "paraphrases", "description": "Other wordings of any element."},
        {"name": "batch", "description": "Many elements in one request (imports)."},
    ],
    lifespan_hooks=(sequence_client, scripts_client, outbox_relay_hook(outbox, no_search_yet)),
)


def create_app(settings: CharactersSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or CharactersSettings())
