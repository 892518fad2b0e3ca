"""Typed, retrying calls from one service to another over HTTP (aiohttp, chosen by measurement)."""

from fountainai.core.http.client import (
    DEFAULT_TIMEOUT,
    IDEMPOTENT_METHODS,
    REQUEST_ID_HEADER,
    RETRYABLE_STATUSES,
    Response,
    RetryPolicy,
    ServiceClient,
    UpstreamBadResponse,
    UpstreamError,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "IDEMPOTENT_METHODS",
    "REQUEST_ID_HEADER",
    "RETRYABLE_STATUSES",
    "Response",
    "RetryPolicy",
    "ServiceClient",
    "UpstreamBadResponse",
    "UpstreamError",
]
