"""The service's /api/v1 routers."""

from __future__ import annotations

from fastapi import APIRouter

from fountainai.services.sequence.audit.endpoints import router as audit_router
from fountainai.services.sequence.ordering.endpoints import router as ordering_router
from fountainai.services.sequence.versioning.endpoints import router as versioning_router


def routers() -> list[APIRouter]:
    return [ordering_router, versioning_router, audit_router]
