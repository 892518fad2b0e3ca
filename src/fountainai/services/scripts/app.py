"""``create_app``: the Scripts service (port 8006)."""

from __future__ import annotations

from fastapi import FastAPI

from fountainai.core import ServiceDefinition, create_service_app
from fountainai.core.clients import sequence_client
from fountainai.core.db import Migrations
from fountainai.core.outbox import no_search_yet, outbox_relay_hook
from fountainai.services.scripts.api import routers
from fountainai.services.scripts.config import ScriptsSettings
from fountainai.services.scripts.models import outbox

DEFINITION = ServiceDefinition(
    name="scripts",
    title="FountainAI Scripts",
    description=(
        "Screenplays and their structure: scripts with title-page metadata, a tree of sections "
        "(acts, sequences, scenes with their headings), transitions, and the Fountain-only kinds "
        "(notes, lyrics, centered text, page breaks, synopses). Every element is "
        "numbered by Central Sequence before it is committed, versioned there before every "
        "change (and restorable), and queued for search in the same transaction."
    ),
    routers=routers,
    migrations=Migrations(service="scripts", package="fountainai.services.scripts.migrations"),
    openapi_tags=[
        {"name": "scripts", "description": "Scripts and their title pages."},
        {"name": "sections", "description": "The act / sequence / scene tree."},
        {"name": "transitions", "description": "CUT TO: and friends."},
        {
            "name": "markup",
            "description": "Notes, lyrics, centered text, page breaks and synopses.",
        },
        {"name": "batch", "description": "Many elements in one request (imports)."},
    ],
    lifespan_hooks=(sequence_client, outbox_relay_hook(outbox, no_search_yet)),
)


def create_app(settings: ScriptsSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or ScriptsSettings())
