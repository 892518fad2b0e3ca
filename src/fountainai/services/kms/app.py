"""``create_app``: the Key Management service (port 8003)."""

from __future__ import annotations

from fastapi import FastAPI

from fountainai.core import ServiceDefinition, create_service_app
from fountainai.core.db import Migrations
from fountainai.services.kms.accounts.lifespan import account_resources
from fountainai.services.kms.api import root_routers, routers
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.lifespan import local_authenticator, signing_resources
from fountainai.services.kms.mfa.lifespan import twofa_client
from fountainai.services.kms.revocation.lifespan import revocation_publishing

DEFINITION = ServiceDefinition(
    name="kms",
    title="FountainAI Key Management",
    description=(
        "Accounts and password login (argon2id, lockout) with an optional second factor (2FA), "
        "short-lived EdDSA access tokens with a JWKS, rotating refresh tokens with reuse "
        "detection, per-service API keys (shown once, "
        "stored hashed, rotated with overlap), and an audit log of every security event."
    ),
    routers=routers,
    root_routers=root_routers,
    migrations=Migrations(service="kms", package="fountainai.services.kms.migrations"),
    lifespan_hooks=(
        signing_resources,
        account_resources,
        revocation_publishing,
        local_authenticator,
        twofa_client,
    ),
    openapi_tags=[
        {"name": "accounts", "description": "Register, log in, refresh, log out; user admin."},
        {"name": "api-keys", "description": "Per-service API keys and their introspection."},
        {"name": "revocation", "description": "What verifiers must reject before expiry."},
        {"name": "audit", "description": "Security events (admin)."},
        {"name": "discovery", "description": "JWKS and server metadata."},
        {"name": "internal", "description": "Called by the 2FA service only (its API key)."},
    ],
)


def create_app(settings: KmsSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or KmsSettings())
