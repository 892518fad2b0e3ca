"""One error tree for every service, rendered as RFC 9457 ``application/problem+json``."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://fountain.coach/problems/"


class FieldError(BaseModel):
    """One invalid input field of a 422 answer."""

    loc: list[str | int] = Field(description="Where the bad value is, e.g. ['body', 'elementId'].")
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem details document, as every error answer carries it."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = Field(default=None, description="The request path that failed.")
    request_id: str | None = None
    errors: list[FieldError] | None = None


class AppError(Exception):
    """Base of every error a service raises on purpose; each subclass is one HTTP status."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra or {}

    @classmethod
    def type_uri(cls) -> str:
        return PROBLEM_TYPE_BASE + cls.slug


class BadRequest(AppError):
    status = 400
    slug = "bad-request"
    title = "Bad request"


class Unauthorized(AppError):
    status = 401
    slug = "unauthorized"
    title = "Authentication required"


class PermissionDenied(AppError):
    status = 403
    slug = "permission-denied"
    title = "Permission denied"


class NotFound(AppError):
    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(AppError):
    status = 409
    slug = "conflict"
    title = "Conflict"


class PayloadTooLarge(AppError):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class UnprocessableEntity(AppError):
    """Well-formed input that breaks a domain rule (e.g. a reorder that is not a permutation)."""

    status = 422
    slug = "validation-error"
    title = "Invalid input"


class RateLimited(AppError):
    status = 429
    slug = "rate-limited"
    title = "Too many requests"


class UpstreamUnavailable(AppError):
    status = 503
    slug = "upstream-unavailable"
    title = "A service this request needs is unavailable"


class ServiceUnavailable(AppError):
    status = 503
    slug = "service-unavailable"
    title = "Service unavailable"


ERROR_TYPES: tuple[type[AppError], ...] = (
    BadRequest,
    Unauthorized,
    PermissionDenied,
    NotFound,
    Conflict,
    PayloadTooLarge,
    UnprocessableEntity,
    RateLimited,
    UpstreamUnavailable,
    ServiceUnavailable,
)


def problem_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting that an operation may answer with these errors."""
    documented: list[type[AppError]] = list(errors)
    return {
        error.status: {
            "description": error.title,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for error in documented
    }
