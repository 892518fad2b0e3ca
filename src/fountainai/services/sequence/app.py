"""``create_app``: the Central Sequence service (port 8000)."""

from __future__ import annotations

from fastapi import FastAPI

from fountainai.core import ServiceDefinition, create_service_app
from fountainai.core.db import Migrations
from fountainai.services.sequence.api import routers
from fountainai.services.sequence.config import SequenceSettings

DEFINITION = ServiceDefinition(
    name="sequence",
    title="FountainAI Central Sequence",
    description=(
        "The ordering authority for every story element: dense per-script sequence numbers "
        "(idempotent, concurrency-safe), atomic reorders, element version snapshots with diffs, "
        "and an audit trail of every write with its comment."
    ),
    routers=routers,
    migrations=Migrations(service="sequence", package="fountainai.services.sequence.migrations"),
    openapi_tags=[
        {"name": "sequence", "description": "Per-script reading order."},
        {"name": "versions", "description": "Element snapshots, listed, read and diffed."},
        {"name": "audit", "description": "Every write with its comment."},
    ],
)


def create_app(settings: SequenceSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or SequenceSettings())
