"""The gateway's Prometheus metrics: requests by service/route/code, the latency the gateway adds
apart from the upstream's (Kong's buckets, in seconds), rate-limit decisions, cache results,
upstream target health and circuit-breaker state."""

from __future__ import annotations

from typing import Any, Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Kong's kong_latency_ms and kong_upstream_latency_ms buckets, in seconds.
GATEWAY_BUCKETS: Final = (
    0.0005,
    0.001,
    0.002,
    0.005,
    0.007,
    0.01,
    0.015,
    0.02,
    0.03,
    0.05,
    0.075,
    0.1,
    0.2,
    0.5,
    1.0,
)
UPSTREAM_BUCKETS: Final = (0.005, 0.025, 0.05, 0.08, 0.1, 0.25, 0.4, 0.7, 1.0, 2.0, 5.0, 10.0, 30.0)
BREAKER_STATES: Final = ("closed", "open", "half-open")


class GatewayMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self._counts: dict[tuple[str, str, int], Any] = {}
        self._timers: dict[str, tuple[Any, Any]] = {}
        self.requests = Counter(
            "gateway_requests",
            "Requests answered through the gateway.",
            ("service", "route", "code"),
            registry=registry,
        )
        self.gateway_latency = Histogram(
            "gateway_latency_seconds",
            "Time the gateway itself spent on a request (total minus upstream).",
            ("service",),
            buckets=GATEWAY_BUCKETS,
            registry=registry,
        )
        self.upstream_latency = Histogram(
            "gateway_upstream_latency_seconds",
            "Time from sending upstream to the end of the upstream's answer.",
            ("service",),
            buckets=UPSTREAM_BUCKETS,
            registry=registry,
        )
        self.ratelimit = Counter(
            "gateway_ratelimit_decisions",
            "Rate-limit decisions: allowed, limited, or store-error (Redis down).",
            ("service", "quota", "outcome"),
            registry=registry,
        )
        self.cache = Counter(
            "gateway_cache",
            "Response cache results: Hit, Miss, Bypass.",
            ("service", "status"),
            registry=registry,
        )
        self.retries = Counter(
            "gateway_upstream_retries",
            "Requests sent again to another target after a transport failure.",
            ("service",),
            registry=registry,
        )
        self.target_health = Gauge(
            "gateway_upstream_target_health",
            "1 if the target's active health check passes, else 0.",
            ("service", "target"),
            registry=registry,
        )
        self.breaker_state = Gauge(
            "gateway_circuit_breaker_state",
            "1 for the target's current breaker state (closed, open, half-open), else 0.",
            ("service", "target", "state"),
            registry=registry,
        )

    def observe(
        self,
        service: str,
        route: str,
        status: int,
        *,
        total: float,
        upstream: float | None,
        retries: int,
    ) -> None:
        """One proxied request: its count, the gateway's own latency (total minus upstream),
        the upstream's, and retries. Labelled children are looked up once and kept."""
        key = (service, route, status)
        count = self._counts.get(key)
        if count is None:
            count = self._counts[key] = self.requests.labels(service, route, str(status))
        count.inc()
        timers = self._timers.get(service)
        if timers is None:
            timers = self._timers[service] = (
                self.gateway_latency.labels(service),
                self.upstream_latency.labels(service),
            )
        timers[0].observe(max(total - (upstream or 0.0), 0.0))
        if upstream is not None:
            timers[1].observe(upstream)
        if retries:
            self.retries.labels(service).inc(retries)

    def count_decision(self, service: str, quota: str, outcome: str) -> None:
        self.ratelimit.labels(service, quota, outcome).inc()

    def set_breaker(self, service: str, target: str, state: str) -> None:
        for known in BREAKER_STATES:
            self.breaker_state.labels(service, target, known).set(1 if known == state else 0)
