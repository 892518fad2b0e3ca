"""What a failed call to another FountainAI service means for the caller's own answer (one
mapping for every typed client; only the wording of a refused input names the service)."""

from __future__ import annotations

from typing import Any, Final

from fountainai.core.errors import (
    AppError,
    Conflict,
    NotFound,
    PermissionDenied,
    Unauthorized,
    UnprocessableEntity,
    UpstreamUnavailable,
)
from fountainai.core.http import UpstreamError

RETRY_AFTER_SECONDS: Final = "5"
MAX_DETAIL_CHARS: Final = 1000
MAX_FIELD_ERRORS: Final = 5
_PASSED_ON: Final[dict[int, type[AppError]]] = {
    401: Unauthorized,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    422: UnprocessableEntity,
}


def unavailable(detail: str | None) -> UpstreamUnavailable:
    """A retryable 503 telling the caller's client when to try again."""
    return UpstreamUnavailable(detail, headers={"Retry-After": RETRY_AFTER_SECONDS})


def translate(exc: UpstreamError | UpstreamUnavailable, *, service: str) -> AppError:
    """The error to raise for a failed call to ``service``; ``exc`` itself when it already fits.

    Unreachable or 5xx: 503 with Retry-After. 401/403 (the forwarded credential was refused
    there), 404, 409 and 422: the same status, with the upstream's ``detail`` only. Anything
    else (including a 2xx that could not be read): the 502 ``UpstreamError`` as it is.
    """
    if isinstance(exc, UpstreamUnavailable):
        return unavailable(exc.detail)
    status = exc.upstream_status
    if status >= 500:
        return unavailable(exc.detail)
    error_type = _PASSED_ON.get(status)
    if error_type is None:
        return exc
    headers = {}
    challenge = exc.upstream_headers.get("WWW-Authenticate")
    if challenge is not None and status in (401, 403):
        headers["WWW-Authenticate"] = challenge
    return error_type(upstream_detail(exc.problem, service) or exc.detail, headers=headers)


def upstream_detail(problem: Any, service: str) -> str | None:
    """The problem's ``detail`` (with its field errors spelled out), bounded; nothing else."""
    if not isinstance(problem, dict):
        return None
    detail = problem.get("detail")
    text = detail if isinstance(detail, str) and detail else None
    errors = problem.get("errors")
    if isinstance(errors, list) and errors:
        fields = "; ".join(_field_error(error) for error in errors[:MAX_FIELD_ERRORS])
        more = len(errors) - MAX_FIELD_ERRORS
        text = f"{service} refused the input: {fields}" + (
            f" (and {more} more)" if more > 0 else ""
        )
    return text[:MAX_DETAIL_CHARS] if text else None


def _field_error(error: Any) -> str:
    if not isinstance(error, dict):
        return "invalid"
    loc = error.get("loc")
    where = ".".join(str(part) for part in loc) if isinstance(loc, list) else "?"
    return f"{where}: {error.get('msg', 'invalid')}"
