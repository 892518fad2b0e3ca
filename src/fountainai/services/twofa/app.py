"""``create_app``: the two-factor service (port 8004)."""

from __future__ import annotations

from fastapi import FastAPI

from fountainai.core import ServiceDefinition, create_service_app
from fountainai.core.db import Migrations
from fountainai.services.twofa.api import root_routers, routers
from fountainai.services.twofa.config import TwofaSettings
from fountainai.services.twofa.lifespan import twofa_resources
from fountainai.services.twofa.no_store import NoStoreMiddleware

DEFINITION = ServiceDefinition(
    name="twofa",
    title="FountainAI Two-Factor Authentication",
    description=(
        "Second factors for KMS accounts: TOTP (RFC 6238, replay-protected) with QR enrolment, "
        "single-use recovery codes, one-time codes delivered out of band (never in an answer), "
        "one attempt limit per account across them all, and step-up tokens for guarded actions."
    ),
    routers=routers,
    root_routers=root_routers,
    migrations=Migrations(service="twofa", package="fountainai.services.twofa.migrations"),
    lifespan_hooks=(twofa_resources,),
    openapi_tags=[
        {"name": "totp", "description": "Authenticator-app enrolment and recovery codes."},
        {"name": "codes", "description": "One-time codes, code checks and step-up tokens."},
    ],
)


def create_app(settings: TwofaSettings | None = None) -> FastAPI:
    app = create_service_app(DEFINITION, settings or TwofaSettings())
    # Outermost, so problem answers built by the error middleware get the header too.
    app.add_middleware(NoStoreMiddleware)
    return app
