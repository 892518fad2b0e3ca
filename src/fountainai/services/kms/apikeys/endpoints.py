"""HTTP surface of API keys: admin-managed per service, introspected by the gateway."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Query, Response, status

from fountainai.core import Conflict, NotFound, Page, PageParamsDep, problem_responses
from fountainai.core.auth import (
    AUTH_RESPONSES,
    AdminDep,
    IntrospectionRequest,
    IntrospectionResponse,
)
from fountainai.core.db import SessionDep, utcnow
from fountainai.services.kms.apikeys.dependencies import (
    ApiKeyServiceDep,
    KeyManagerDep,
    StepUpKeyManagerDep,
)
from fountainai.services.kms.apikeys.introspection import describe, find_valid_key, record_use
from fountainai.services.kms.apikeys.schemas import (
    SERVICE_NAME_PATTERN,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    ApiKeyRotate,
    ApiKeyRotated,
    ServiceNamePath,
)

router = APIRouter(tags=["api-keys"])

NO_STORE: Final = "no-store"
ServiceNameQuery = Annotated[
    str | None, Query(alias="serviceName", max_length=63, pattern=SERVICE_NAME_PATTERN)
]

INTROSPECT_DESCRIPTION: Final = (
    "Open to any caller, on purpose: the answer only describes the key in the request, so asking "
    "requires already holding the whole 256-bit secret, which no one can guess and which "
    "authenticates on its own anyway. An unknown, malformed, revoked or expired key gets the same "
    '`{"active": false}`, and nothing about other keys is ever returned.'
)


@router.post(
    "/keys/introspect",
    operation_id="introspectApiKey",
    summary="Whether an API key is live, and for which service and scopes (for the gateway).",
    description=INTROSPECT_DESCRIPTION,
    response_model_exclude_none=True,
)
async def introspect_api_key(
    body: IntrospectionRequest, session: SessionDep, response: Response
) -> IntrospectionResponse:
    now = utcnow()
    key = await find_valid_key(session, body.api_key, now)
    if key is not None:
        await record_use(session, key, now)
    response.headers["Cache-Control"] = NO_STORE
    return describe(key)


@router.post(
    "/keys",
    operation_id="createApiKey",
    summary="Issue a service's API key; the key is in this answer only (admin user).",
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, **problem_responses(Conflict)},
)
async def create_api_key(
    body: ApiKeyCreate, actor: KeyManagerDep, service: ApiKeyServiceDep, response: Response
) -> ApiKeyCreated:
    """409 while the service has an active key: rotate that instead."""
    response.headers["Cache-Control"] = NO_STORE
    return await service.create(body, actor)


@router.get(
    "/keys",
    operation_id="listApiKeys",
    summary="API keys of every service, newest first; never the keys themselves (admin).",
    responses=AUTH_RESPONSES,
)
async def list_api_keys(
    _admin: AdminDep,
    service: ApiKeyServiceDep,
    page: PageParamsDep,
    service_name: ServiceNameQuery = None,
    include_revoked: Annotated[bool, Query(alias="includeRevoked")] = False,
) -> Page[ApiKeyRead]:
    """Revoked keys only with includeRevoked=true."""
    return await service.page(page, service_name=service_name, include_revoked=include_revoked)


@router.get(
    "/keys/{service_name}",
    operation_id="getServiceApiKeys",
    summary="One service's keys, revoked ones included, newest first (admin).",
    responses={**AUTH_RESPONSES, **problem_responses(NotFound)},
)
async def get_service_api_keys(
    service_name: ServiceNamePath, _admin: AdminDep, service: ApiKeyServiceDep, page: PageParamsDep
) -> Page[ApiKeyRead]:
    """404 if the service never had a key."""
    keys = await service.page(page, service_name=service_name, include_revoked=True)
    if keys.total_count == 0:
        raise NotFound(f"Service '{service_name}' has no API keys.")
    return keys


@router.post(
    "/keys/{service_name}/rotate",
    operation_id="rotateApiKey",
    summary="Replace a service's key; the old one keeps working for the grace period (admin user).",
    responses={**AUTH_RESPONSES, **problem_responses(NotFound, Conflict)},
)
async def rotate_api_key(
    service_name: ServiceNamePath,
    actor: StepUpKeyManagerDep,
    service: ApiKeyServiceDep,
    response: Response,
    body: ApiKeyRotate | None = None,
) -> ApiKeyRotated:
    """The new key is in this answer only; scopes stay unless given."""
    response.headers["Cache-Control"] = NO_STORE
    return await service.rotate(service_name, body or ApiKeyRotate(), actor)


@router.delete(
    "/keys/{service_name}",
    operation_id="revokeApiKeys",
    summary="Revoke every key of a service at once, grace-period keys included (admin user).",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**AUTH_RESPONSES, **problem_responses(NotFound)},
)
async def revoke_api_keys(
    service_name: ServiceNamePath, actor: StepUpKeyManagerDep, service: ApiKeyServiceDep
) -> None:
    """The service may be issued a new key afterwards."""
    await service.revoke(service_name, actor)
