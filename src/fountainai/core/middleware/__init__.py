"""Pure ASGI middleware (no BaseHTTPMiddleware: it costs most of the throughput)."""

from fountainai.core.middleware.access_log import AccessLogMiddleware
from fountainai.core.middleware.body_limit import BodyLimitMiddleware
from fountainai.core.middleware.errors import UnhandledErrorMiddleware
from fountainai.core.middleware.metrics import MetricsMiddleware
from fountainai.core.middleware.request_id import REQUEST_ID_HEADER, RequestIdMiddleware
from fountainai.core.middleware.security_headers import SecurityHeadersMiddleware
from fountainai.core.middleware.unstorable import UnstorableUrlMiddleware

__all__ = [
    "REQUEST_ID_HEADER",
    "AccessLogMiddleware",
    "BodyLimitMiddleware",
    "MetricsMiddleware",
    "RequestIdMiddleware",
    "SecurityHeadersMiddleware",
    "UnhandledErrorMiddleware",
    "UnstorableUrlMiddleware",
]
