"""Upstream resilience: a circuit breaker per target (``CircuitBreaker``), per-service round-robin
pools of targets (``TargetPool``, ``build_pools``), active health checks that bring targets back
(``ActiveHealthChecker``) and the retry rules (``may_retry``, ``classify``, ``Backoff``)."""

from fountainai.gateway.upstream.breaker import (
    DEFAULT_FAILURE_STATUSES,
    BreakerPolicy,
    BreakerState,
    CircuitBreaker,
    StateListener,
)
from fountainai.gateway.upstream.health import (
    DEFAULT_HEALTH_PATH,
    ActiveHealthChecker,
    HealthListener,
)
from fountainai.gateway.upstream.retry import Backoff, FailureKind, classify, may_retry
from fountainai.gateway.upstream.targets import (
    Target,
    TargetListener,
    TargetPool,
    TargetSnapshot,
    build_pools,
)

__all__ = [
    "DEFAULT_FAILURE_STATUSES",
    "DEFAULT_HEALTH_PATH",
    "ActiveHealthChecker",
    "Backoff",
    "BreakerPolicy",
    "BreakerState",
    "CircuitBreaker",
    "FailureKind",
    "HealthListener",
    "StateListener",
    "Target",
    "TargetListener",
    "TargetPool",
    "TargetSnapshot",
    "build_pools",
    "classify",
    "may_retry",
]
