"""``create_app``: the Sessions & Context service (port 8007)."""

from __future__ import annotations

from fastapi import FastAPI

from fountainai.core import ServiceDefinition, create_service_app
from fountainai.core.clients import sequence_client
from fountainai.core.db import Migrations
from fountainai.services.sessions.api import routers
from fountainai.services.sessions.config import SessionsSettings

DEFINITION = ServiceDefinition(
    name="sessions",
    title="FountainAI Sessions & Context",
    description=(
        "Working sessions owned by their user (a user sees only their own, admins see all), "
        "each with its context as a JSON list of strings; and contexts: key/value narrative "
        "state for any story element, with every change kept in a per-target history, also "
        "listed a whole script at a time. A session's script and a context's element must be "
        "live: numbered by Central Sequence."
    ),
    routers=routers,
    migrations=Migrations(service="sessions", package="fountainai.services.sessions.migrations"),
    openapi_tags=[
        {"name": "sessions", "description": "A user's working sessions."},
        {"name": "contexts", "description": "Narrative state per story element, with history."},
    ],
    lifespan_hooks=(sequence_client,),
)


def create_app(settings: SessionsSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or SessionsSettings())
