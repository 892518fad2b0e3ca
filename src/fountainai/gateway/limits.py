"""Rate limiting at the edge: which quotas a request counts against (per route; per user, API
key or client IP), the answer's headers, 429 when one refuses, and what happens when the
shared store (Redis) is down: fail open (counted, warned) or fail closed (503)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Final, Protocol

from fountainai.core.auth import Principal
from fountainai.core.errors import RateLimited, ServiceUnavailable
from fountainai.core.logging import get_logger
from fountainai.gateway.config import GatewaySettings, RedisDownPolicy
from fountainai.gateway.forwarding import Header
from fountainai.gateway.ratelimit import Decision, Quota, rate_limit_headers
from fountainai.gateway.routes import RateLimitRule, Route

log = get_logger(__name__)
WARN_INTERVAL_SECONDS: Final = 10.0
STORE_DOWN_RETRY_AFTER: Final = "1"


class Limiter(Protocol):
    async def hit_all(self, checks: Sequence[tuple[Quota, str]]) -> list[Decision]: ...


def default_rules(settings: GatewaySettings) -> tuple[RateLimitRule, ...]:
    """The quotas of a route that names none: ``rate_limit_user|key|ip`` ('limit/window')."""
    rules = []
    for by, spec in (
        ("user", settings.rate_limit_user),
        ("key", settings.rate_limit_key),
        ("ip", settings.rate_limit_ip),
    ):
        if not spec.strip():
            continue
        limit, _, window = spec.partition("/")
        rules.append(
            RateLimitRule(
                name=f"per-{by}",
                by=by,  # type: ignore[arg-type]
                limit=int(limit),
                window=int(window),
                algorithm=settings.rate_limit_algorithm,
            )
        )
    return tuple(rules)


class RateLimitGate:
    """``check(route, method, principal, ip)`` counts the request against every quota that
    applies and returns the headers describing them; raises 429 (``RateLimited``, with
    ``Retry-After``) if any refuses. ``on_decision(service, quota, outcome)`` feeds metrics."""

    def __init__(
        self,
        limiter: Limiter,
        *,
        defaults: tuple[RateLimitRule, ...],
        redis_down: RedisDownPolicy,
        on_decision: Callable[[str, str, str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limiter = limiter
        self.defaults = defaults
        self.redis_down = redis_down
        self.on_decision = on_decision
        self._clock = clock
        self._warned_at = -WARN_INTERVAL_SECONDS

    async def check(
        self, route: Route, method: str, principal: Principal | None, ip: str
    ) -> list[Header]:
        rules = route.rate_limits if route.rate_limits is not None else self.defaults
        applying: list[RateLimitRule] = []
        checks: list[tuple[Quota, str]] = []
        for rule in rules:
            identity = _identity(rule, principal, ip)
            if identity is None or (rule.methods and method not in rule.methods):
                continue
            applying.append(rule)
            checks.append((rule.quota, f"{route.service}:{rule.name}:{identity}"))
        if not checks:
            return []
        try:
            decisions = await self.limiter.hit_all(checks)
        except Exception as exc:  # the store failed: the configured policy decides
            self._store_down(route.service, applying, exc)
            return []
        # Decisions stop at the first refusal: the quotas after it were not counted.
        checked = list(zip(applying, decisions, strict=False))
        counted = [(rule.quota, decision) for rule, decision in checked]
        for rule, decision in checked:
            self.on_decision(route.service, rule.name, "allowed" if decision.allowed else "limited")
            if not decision.allowed:
                raise RateLimited(
                    f"Too many requests: the {rule.name} quota is {rule.limit} per "
                    f"{rule.window} s. Retry after {decision.retry_after} s.",
                    headers=dict(_decoded(rate_limit_headers(counted))),
                    extra={"violated-policies": [rule.name]},
                )
        return rate_limit_headers(counted)

    def _store_down(self, service: str, rules: list[RateLimitRule], exc: Exception) -> None:
        for rule in rules:
            self.on_decision(service, rule.name, "store-error")
        now = self._clock()
        if now - self._warned_at >= WARN_INTERVAL_SECONDS:  # once per interval, not per request
            self._warned_at = now
            log.warning(
                "ratelimit_store_down",
                policy=f"fail-{self.redis_down}",
                error=type(exc).__name__,
            )
        if self.redis_down == "closed":
            raise ServiceUnavailable(
                "Rate limits cannot be checked right now; retry shortly.",
                headers={"Retry-After": STORE_DOWN_RETRY_AFTER},
            ) from None


def _identity(rule: RateLimitRule, principal: Principal | None, ip: str) -> str | None:
    if rule.by == "ip":
        return f"ip:{ip}"
    if principal is None:
        return None
    is_key = principal.kind == "service" and principal.issued_at is None
    if rule.by == "key":
        return f"key:{principal.token_id}" if is_key else None
    return None if is_key else f"user:{principal.subject}"


def _decoded(headers: list[Header]) -> list[tuple[str, str]]:
    return [(name.decode(), value.decode()) for name, value in headers]
