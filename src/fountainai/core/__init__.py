"""The shared foundation every FountainAI service is built on. Imports no service."""

from fountainai.core.app import API_PREFIX, LifespanHook, ServiceDefinition, create_service_app
from fountainai.core.config import Environment, PlatformSettings, ServiceSettings
from fountainai.core.context import current_request_id
from fountainai.core.errors import (
    AppError,
    BadRequest,
    Conflict,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    Problem,
    RateLimited,
    ServiceUnavailable,
    Unauthorized,
    UnprocessableEntity,
    UpstreamUnavailable,
    problem_responses,
)
from fountainai.core.logging import configure_logging, get_logger
from fountainai.core.schemas import (
    ApiInput,
    ApiModel,
    IsoDateTime,
    Page,
    PageParams,
    PageParamsDep,
)

__all__ = [
    "API_PREFIX",
    "ApiInput",
    "ApiModel",
    "AppError",
    "BadRequest",
    "Conflict",
    "Environment",
    "IsoDateTime",
    "LifespanHook",
    "NotFound",
    "Page",
    "PageParams",
    "PageParamsDep",
    "PayloadTooLarge",
    "PermissionDenied",
    "PlatformSettings",
    "Problem",
    "RateLimited",
    "ServiceDefinition",
    "ServiceSettings",
    "ServiceUnavailable",
    "Unauthorized",
    "UnprocessableEntity",
    "UpstreamUnavailable",
    "configure_logging",
    "create_service_app",
    "current_request_id",
    "get_logger",
    "problem_responses",
]
