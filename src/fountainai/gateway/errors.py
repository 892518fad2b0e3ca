"""The gateway's own failures, as problem+json: answered before or instead of an upstream's."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import Send

from fountainai.core.errors import AppError
from fountainai.core.problems import problem_body
from fountainai.gateway.forwarding import Header


class BadGateway(AppError):
    """The upstream broke the exchange (connection reset, malformed answer) after it was sent."""

    status = 502
    slug = "bad-gateway"
    title = "The upstream service failed to answer"


class InternalError(AppError):
    """The gateway itself failed (a bug): logged, answered without internals."""

    status = 500
    slug = "internal-error"
    title = "Internal server error"

    def __init__(self) -> None:
        super().__init__("The gateway failed to handle this request; it has been logged.")


class GatewayTimeout(AppError):
    status = 504
    slug = "gateway-timeout"
    title = "The upstream service did not answer in time"


async def send_error(
    send: Send, error: AppError, *, instance: str, extra_headers: Sequence[Header] = ()
) -> None:
    """Answer ``error`` as problem+json, with its own headers and ``extra_headers``."""
    body = problem_body(
        status=error.status,
        title=error.title,
        type_uri=error.type_uri(),
        detail=error.detail,
        instance=instance,
        extra=error.extra,
    )
    own = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in error.headers.items()
    ]
    names = {name for name, _ in own}
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        *own,
        *(header for header in extra_headers if header[0] not in names),
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
