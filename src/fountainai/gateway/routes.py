"""The gateway's routing table: which upstream targets serve ``/{service}/...``, and each route's
access rules, rate limits, cache, timeouts and retries. Read from YAML or built from settings."""

from __future__ import annotations

import fnmatch
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fountainai.core.auth import Role
from fountainai.gateway.ratelimit import ALGORITHMS, Algorithm, Quota

ServiceName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
Method = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
SAFE_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS"})
IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RateLimitKey = Literal["user", "key", "ip"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AccessRule(_Frozen):
    """Who may call the requests this rule matches. Rules are tried in order; the first whose
    ``methods`` and ``path`` (a glob on the path after the route's prefix) match decides.

    ``public``: no credential needed (one is still checked if sent). ``deny``: never routed
    (404, as if absent). Otherwise a valid credential, with ``role`` (or above), every scope in
    ``scopes`` and, if ``step_up``, a second factor used within the last 5 minutes.
    """

    path: str = Field(default="/*", pattern=r"^/")
    methods: tuple[Method, ...] = ()  # empty: every method
    public: bool = False
    deny: bool = False
    role: Role | None = None
    scopes: tuple[str, ...] = ()
    step_up: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.public and (self.deny or self.role or self.scopes or self.step_up):
            raise ValueError("a public rule cannot also deny or ask for a role, scope or step-up")
        return self

    def matches(self, method: str, path: str) -> bool:
        if self.methods and method not in self.methods:
            return False
        return fnmatch.fnmatchcase(path, self.path)


class RateLimitRule(_Frozen):
    """``limit`` requests per ``window`` seconds for each user (bearer token subject), API key
    or client IP, as ``by`` says. A ``user`` or ``key`` rule does not apply to other callers."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")
    by: RateLimitKey
    limit: int = Field(ge=1, le=10_000_000)
    window: int = Field(ge=1, le=366 * 86400, description="Seconds.")
    algorithm: Algorithm = "sliding-window"
    methods: tuple[Method, ...] = ()  # empty: every method

    @field_validator("algorithm")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in ALGORITHMS:
            raise ValueError(f"algorithm must be one of {ALGORITHMS}")
        return value

    @cached_property
    def quota(self) -> Quota:
        return Quota(self.name, self.limit, self.window, self.algorithm)


class CacheRule(_Frozen):
    """Cache successful GET/HEAD answers for ``ttl`` seconds (upstream Cache-Control can only
    shorten or forbid it), keyed by caller, path, the ``vary_query`` parameters (all if empty)
    and the ``vary_headers``."""

    ttl: int = Field(ge=1, le=86400)
    vary_query: tuple[str, ...] = ()
    vary_headers: tuple[str, ...] = ("accept",)
    paths: tuple[str, ...] = ("/*",)  # globs after the prefix; others bypass the cache


class Route(_Frozen):
    """``/{service}/...`` (and any of ``hosts``) forwarded to one of ``targets``."""

    service: ServiceName
    targets: tuple[str, ...] = Field(min_length=1)
    hosts: tuple[str, ...] = ()
    connect_timeout: float = Field(default=1.0, gt=0, le=60)
    timeout: float = Field(default=30.0, gt=0, le=3600, description="Whole request, seconds.")
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=0)
    retries: int = Field(default=2, ge=0, le=10, description="Extra attempts, transport only.")
    health_path: str = Field(default="/health/ready", pattern=r"^/")
    access: tuple[AccessRule, ...] = ()
    rate_limits: tuple[RateLimitRule, ...] | None = None  # None: the gateway's defaults
    cache: CacheRule | None = None

    @field_validator("targets")
    @classmethod
    def _http_targets(cls, targets: tuple[str, ...]) -> tuple[str, ...]:
        for target in targets:
            if not target.startswith(("http://", "https://")):
                raise ValueError(f"a target is an http:// or https:// URL, not {target!r}")
        return tuple(target.rstrip("/") for target in targets)

    @field_validator("hosts")
    @classmethod
    def _lower_hosts(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(host.lower() for host in hosts)

    @property
    def prefix(self) -> str:
        return f"/{self.service}"

    def access_for(self, method: str, path: str) -> AccessRule:
        """The first rule matching ``method`` and ``path`` (after the prefix); else a rule
        asking only for a valid credential."""
        for rule in self.access:
            if rule.matches(method, path):
                return rule
        return AUTHENTICATED


AUTHENTICATED = AccessRule()


class RouteTable(_Frozen):
    """Every route; service names and hosts are unique."""

    routes: tuple[Route, ...]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        names = [route.service for route in self.routes]
        if len(names) != len(set(names)):
            raise ValueError("each service has one route")
        hosts = [host for route in self.routes for host in route.hosts]
        if len(hosts) != len(set(hosts)):
            raise ValueError("a host routes to one service")
        return self

    @cached_property
    def by_service(self) -> dict[str, Route]:
        return {route.service: route for route in self.routes}

    @cached_property
    def by_host(self) -> dict[str, Route]:
        return {host: route for route in self.routes for host in route.hosts}

    @classmethod
    def from_yaml(cls, path: Path) -> RouteTable:
        """``routes:`` a list of routes, as in ``deploy/gateway-routes.yaml``."""
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping with a 'routes' list")
        return cls.model_validate(data)
