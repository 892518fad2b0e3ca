"""Rate limits in Kong's terms, for ``kong.py``: our quotas (any window in seconds) as Kong's
calendar periods, never admitting a higher rate, and the ``rate-limiting`` plugins holding them."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from fountainai.gateway.config import GatewaySettings
from fountainai.gateway.limits import default_rules
from fountainai.gateway.routes import RateLimitRule, Route

# Kong's calendar periods; month and year at their shortest, so a rate is never overstated.
PERIODS: Final[tuple[tuple[str, int], ...]] = (
    ("second", 1),
    ("minute", 60),
    ("hour", 3600),
    ("day", 86400),
    ("month", 28 * 86400),
    ("year", 365 * 86400),
)
PERIOD_SECONDS: Final = dict(PERIODS)
_FIXED_PERIODS: Final = PERIODS[:4]  # the ones of one length; the only exact mappings


class KongExportError(ValueError):
    """The table holds something Kong cannot express, not even conservatively."""


@dataclass(frozen=True)
class KongLimit:
    """One quota as a Kong ``rate-limiting`` period; ``exact`` when the windows are equal."""

    period: str
    limit: int
    exact: bool


def kong_limit(limit: int, window: int) -> KongLimit:
    """``limit`` per ``window`` seconds as one Kong period admitting no higher a rate.

    Equal windows map exactly; any other maps to the nearest shorter fixed period, the limit
    scaled down (rounded down). If that rounds to 0, the next longer periods are tried.
    """
    for name, seconds in _FIXED_PERIODS:
        if seconds == window:
            return KongLimit(name, limit, exact=True)
    shorter = [period for period in _FIXED_PERIODS if period[1] < window][-1]
    candidates = [shorter, *(period for period in PERIODS if period[1] > shorter[1])]
    for name, seconds in candidates:
        scaled = limit * seconds // window
        if scaled >= 1:
            return KongLimit(name, scaled, exact=False)
    raise KongExportError(f"{limit} per {window} s is below Kong's least rate (1 per year)")


@dataclass(frozen=True)
class RateLimitPlugins:
    """Plugins on the Kong service, top-level ones scoped to (consumer, service), and what is
    left to the operator: the API-key quota (``key_limits``) and an unexported user quota."""

    service_plugins: list[dict[str, Any]]
    consumer_plugins: list[dict[str, Any]]
    key_limits: dict[str, Any] | None
    user_quota_unexported: bool


def rate_limit_plugins(
    route: Route,
    settings: GatewaySettings,
    redis: dict[str, Any] | None,
    jwt_consumers: list[str],
    warnings: list[str],
) -> RateLimitPlugins:
    """Kong runs one ``rate-limiting`` per request, the most specific: the IP quota on the
    service, the user quota per (signing-key consumer, service); key quotas are the operator's."""
    rules = route.rate_limits if route.rate_limits is not None else default_rules(settings)
    by = {kind: [rule for rule in rules if rule.by == kind] for kind in ("ip", "user", "key")}
    for rule in rules:
        if rule.methods:
            warnings.append(
                f"{route.service}: quota {rule.name} counts every method in Kong, not only "
                f"{', '.join(rule.methods)}"
            )
    service_plugins, consumer_plugins = [], []
    if by["ip"]:
        service_plugins.append(_plugin(route, by["ip"], "ip", settings, redis, warnings))
    if by["user"] and jwt_consumers:
        plugin = _plugin(route, by["user"], "consumer", settings, redis, warnings)
        consumer_plugins = [
            copy.deepcopy(plugin) | {"consumer": name, "service": route.service}
            for name in jwt_consumers
        ]
    key_limits = None
    if by["key"]:
        config = _plugin(route, by["key"], "consumer", settings, redis, warnings)["config"]
        key_limits = {key: config[key] for key in (*PERIOD_SECONDS, "limit_by") if key in config}
    return RateLimitPlugins(
        service_plugins,
        consumer_plugins,
        key_limits,
        user_quota_unexported=bool(by["user"]) and not jwt_consumers,
    )


def _plugin(
    route: Route,
    rules: list[RateLimitRule],
    limit_by: str,
    settings: GatewaySettings,
    redis: dict[str, Any] | None,
    warnings: list[str],
) -> dict[str, Any]:
    periods: dict[str, int] = {}
    for rule in rules:
        mapped = kong_limit(rule.limit, rule.window)
        if not mapped.exact:
            warnings.append(
                f"{route.service}: quota {rule.name} ({rule.limit} per {rule.window} s) becomes "
                f"{mapped.limit} per {mapped.period} (Kong has calendar periods only)"
            )
        periods[mapped.period] = min(mapped.limit, periods.get(mapped.period, mapped.limit))
    ceiling = None  # a shorter period may not exceed a longer one (Kong's schema; same effect)
    for name, _ in reversed(PERIODS):
        if name in periods:
            ceiling = periods[name] = min(periods[name], ceiling or periods[name])
    config: dict[str, Any] = {name: periods[name] for name, _ in PERIODS if name in periods}
    config |= {
        "limit_by": limit_by,
        "policy": "redis" if redis else "local",
        "fault_tolerant": settings.redis_down == "open",
    }
    return {"name": "rate-limiting", "config": config | (redis or {})}


def redis_config(settings: GatewaySettings, warnings: list[str]) -> dict[str, Any] | None:
    if not settings.redis_url:
        return None
    parts = urlsplit(settings.redis_url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise KongExportError(f"Kong reaches Redis over TCP only, not {parts.scheme}://")
    database = parts.path.strip("/") or "0"
    if not database.isdigit():
        raise KongExportError(f"the Redis database must be a number, not {database!r}")
    if parts.password or parts.username:
        warnings.append("the Redis credentials are not exported: set redis_password yourself")
    return {
        "redis_host": parts.hostname,
        "redis_port": parts.port or 6379,
        "redis_database": int(database),
        "redis_ssl": parts.scheme == "rediss",
        "redis_timeout": ms(settings.redis_timeout_seconds),
    }


def ms(seconds: float) -> int:
    """Seconds as Kong's whole milliseconds (at least 1)."""
    return max(1, round(seconds * 1000))
