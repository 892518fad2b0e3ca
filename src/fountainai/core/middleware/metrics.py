"""Prometheus request metrics by route template (never the raw path: bounded cardinality)."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from fountainai.core.middleware.watch import ResponseWatch

UNMATCHED_ROUTE = "<unmatched>"
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def route_template(scope: Scope) -> str:
    """The matched route's full path template, e.g. ``/api/v1/sequence/{elementType}/{elementId}``.

    FastAPI >= 0.160 keeps included routers nested, so ``scope["route"].path`` lacks the prefixes;
    its effective route context carries the full template (pinned by the metrics tests).
    """
    context = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(context, "path_format", None)
    if isinstance(template, str):
        return template
    route = scope.get("route")
    return route.path if isinstance(route, Route) else UNMATCHED_ROUTE


class HttpMetrics:
    """The request metrics of one app, in that app's own registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.requests = Counter(
            "http_requests",
            "HTTP requests answered.",
            ("method", "route", "status"),
            registry=registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time from request start to response end.",
            ("method", "route"),
            buckets=_BUCKETS,
            registry=registry,
        )
        self.in_flight = Gauge(
            "http_requests_in_flight", "Requests being served.", ("method",), registry=registry
        )


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        started = time.perf_counter()
        watch = ResponseWatch(send)
        in_flight = self.metrics.in_flight.labels(method)
        in_flight.inc()
        try:
            await self.app(scope, receive, watch)
        finally:
            in_flight.dec()
            route = route_template(scope)
            self.metrics.requests.labels(method, route, str(watch.status or 500)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)
