"""Render errors as problem+json and install the handlers on an app."""

from __future__ import annotations

import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import compile_path

from fountainai.core.context import current_request_id
from fountainai.core.errors import (
    ERROR_TYPES,
    PROBLEM_JSON,
    PROBLEM_TYPE_BASE,
    AppError,
    BadRequest,
    ServiceUnavailable,
    UnprocessableEntity,
)
from fountainai.core.logging import get_logger

log = get_logger(__name__)
_HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Framework errors (404 route, 405 method, 413 body) get the same type and title as ours.
_ERROR_BY_STATUS = {error.status: error for error in ERROR_TYPES}


def problem_body(
    *,
    status: int,
    title: str,
    type_uri: str,
    detail: str | None = None,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> bytes:
    body: dict[str, Any] = {"type": type_uri, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body["request_id"] = current_request_id()
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update({key: value for key, value in extra.items() if key not in body})
    return orjson.dumps(body)


def problem_response(
    *,
    status: int,
    title: str,
    type_uri: str,
    detail: str | None = None,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    content = problem_body(
        status=status,
        title=title,
        type_uri=type_uri,
        detail=detail,
        instance=instance,
        errors=errors,
        extra=extra,
    )
    return Response(content, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_errors(raw: Sequence[Any]) -> list[dict[str, Any]]:
    """Keep loc/msg/type only: echoing the rejected input could leak secrets or huge blobs."""
    return [
        {"loc": list(error.get("loc", ())), "msg": str(error.get("msg", "")), "type": error["type"]}
        for error in raw
    ]


async def handle_app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return problem_response(
        status=exc.status,
        title=exc.title,
        type_uri=exc.type_uri(),
        detail=exc.detail,
        instance=request.url.path,
        headers=exc.headers,
        extra=exc.extra,
    )


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc.errors())
    if _body_not_json(request, errors):
        return problem_response(
            status=415,
            title="Unsupported media type",
            type_uri=PROBLEM_TYPE_BASE + "unsupported-media-type",
            detail="Send the body as JSON with 'Content-Type: application/json'.",
            instance=request.url.path,
        )
    if errors and all(error["type"] == "json_invalid" for error in errors):
        return problem_response(
            status=BadRequest.status,
            title="Malformed JSON body",
            type_uri=PROBLEM_TYPE_BASE + "malformed-json",
            detail="The request body is not valid JSON.",
            instance=request.url.path,
            errors=errors,
        )
    return problem_response(
        status=UnprocessableEntity.status,
        title=UnprocessableEntity.title,
        type_uri=UnprocessableEntity.type_uri(),
        detail="One or more fields are invalid; see errors.",
        instance=request.url.path,
        errors=errors,
    )


def _body_not_json(request: Request, errors: list[dict[str, Any]]) -> bool:
    """FastAPI only parses JSON declared as such; anything else reaches validation as raw bytes."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    is_json = content_type == "application/json" or content_type.endswith("+json")
    return not is_json and any(error["loc"] == ["body"] for error in errors)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
    known = _ERROR_BY_STATUS.get(exc.status_code)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    return problem_response(
        status=exc.status_code,
        title=known.title if known else phrase.capitalize(),
        type_uri=known.type_uri()
        if known
        else PROBLEM_TYPE_BASE + phrase.lower().replace(" ", "-"),
        detail=detail,
        instance=request.url.path,
        headers=headers,
    )


def allowed_methods(request: Request) -> list[str]:
    """Every method any route serves at this path (Starlette's 405 names only the first route's).

    As OpenAPI matches paths, a concrete path (``/users/me``) wins over a templated one
    (``/users/{userId}``) that would also match it.
    """
    app = request.app
    table: list[tuple[re.Pattern[str], bool, list[str]]] | None = getattr(
        app.state, "allow_table", None
    )
    if table is None:
        table = []
        for template, operations in app.openapi().get("paths", {}).items():
            pattern, _, _ = compile_path(template)
            methods = sorted(m.upper() for m in operations if m.upper() in _HTTP_METHODS)
            table.append((pattern, "{" not in template, methods))
        app.state.allow_table = table
    path = request.url.path
    matches = [(concrete, methods) for pattern, concrete, methods in table if pattern.match(path)]
    if any(concrete for concrete, _ in matches):
        matches = [(concrete, methods) for concrete, methods in matches if concrete]
    allowed = {method for _, methods in matches for method in methods}
    if "GET" in allowed:
        allowed.add("HEAD")
    return sorted(allowed)


def database_unavailable(exc: Exception) -> bool:
    """Is this the database being down or unreachable, rather than a bug in a query?"""
    if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout, ConnectionError)):
        return True
    # No statement means it failed while connecting (e.g. the database no longer exists).
    return isinstance(exc, DBAPIError) and (exc.connection_invalidated or exc.statement is None)


async def handle_database_unavailable(request: Request, exc: Exception) -> Response:
    """The database is down or unreachable: a retryable 503, not a 500 (details go to the log)."""
    if not database_unavailable(exc):
        raise exc  # a real bug: the unhandled-error middleware answers 500 and logs the stack
    log.warning("database_unavailable", error=type(exc).__name__, path=request.url.path)
    return problem_response(
        status=ServiceUnavailable.status,
        title="Database unavailable",
        type_uri=PROBLEM_TYPE_BASE + "database-unavailable",
        detail="The service cannot reach its database right now; retry shortly.",
        instance=request.url.path,
        headers={"Retry-After": "5"},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, handle_app_error)
    for unavailable in (DBAPIError, PoolTimeout, ConnectionError):
        app.add_exception_handler(unavailable, handle_database_unavailable)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
