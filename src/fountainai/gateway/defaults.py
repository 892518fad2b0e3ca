"""The routing table when no YAML is given: one route per service, to its configured URL, with
the public, denied and step-up rules of DESIGN §4. No route caches by default: a story
service's listing can change by another service's write (an import), which the gateway cannot
see; turn the cache on per route in YAML where that staleness is acceptable."""

from __future__ import annotations

from fountainai.core.auth import Role
from fountainai.gateway.config import GatewaySettings
from fountainai.gateway.routes import AccessRule, Route, RouteTable

# Never routed from outside: service internals and each service's own metrics.
_INTERNAL = (
    AccessRule(path="/metrics", deny=True),
    AccessRule(path="/api/v1/internal/*", deny=True),
)
_PUBLIC_HEALTH = AccessRule(path="/health/*", methods=("GET", "HEAD"), public=True)


def _with_aliases(*rules: AccessRule) -> tuple[AccessRule, ...]:
    """Each ``/api/v1/...`` rule, and the same rule for the KMS's seed-style alias at the root
    (``POST /login`` is ``POST /api/v1/login``)."""
    aliased: list[AccessRule] = []
    for rule in rules:
        aliased.append(rule)
        if rule.path.startswith(_API):
            aliased.append(rule.model_copy(update={"path": rule.path.removeprefix(_API)}))
    return tuple(aliased)


_API = "/api/v1"
_KMS_ACCESS = (
    *_INTERNAL,
    _PUBLIC_HEALTH,
    AccessRule(path="/.well-known/*", methods=("GET", "HEAD"), public=True),
    *_with_aliases(
        AccessRule(path="/api/v1/login", methods=("POST",), public=True),
        AccessRule(path="/api/v1/login/mfa*", methods=("POST",), public=True),
        AccessRule(path="/api/v1/token/refresh", methods=("POST",), public=True),
        # The first account registers without a token (bootstrap); the KMS refuses later ones.
        AccessRule(path="/api/v1/register", methods=("POST",), public=True),
        AccessRule(path="/api/v1/revocations", methods=("GET",), public=True),
        # Service-to-service: API keys are checked by the services, not through the edge.
        AccessRule(path="/api/v1/keys/introspect", deny=True),
        # High privilege (DESIGN §4): a second factor within 5 minutes.
        AccessRule(path="/api/v1/keys*", methods=("POST", "DELETE"), role=Role.ADMIN, step_up=True),
        AccessRule(path="/api/v1/users/*", methods=("PATCH",), role=Role.ADMIN, step_up=True),
        AccessRule(path="/api/v1/audit", role=Role.ADMIN),
    ),
)
_STORY_ACCESS = (
    *_INTERNAL,
    _PUBLIC_HEALTH,
    AccessRule(path="/api/v1/*", methods=("GET", "HEAD"), role=Role.READER),
    AccessRule(path="/api/v1/*", role=Role.WRITER),
)
_SCRIPTS_ACCESS = (
    *_INTERNAL,
    _PUBLIC_HEALTH,
    AccessRule(path="/api/v1/scripts/*", methods=("DELETE",), role=Role.WRITER, step_up=True),
    *_STORY_ACCESS[3:],
)
_SEQUENCE_ACCESS = (
    *_INTERNAL,
    _PUBLIC_HEALTH,
    AccessRule(path="/api/v1/versions/*", methods=("DELETE",), role=Role.ADMIN, step_up=True),
    *_STORY_ACCESS[3:],
)
_DEFAULT_ACCESS = (*_INTERNAL, _PUBLIC_HEALTH)


def default_routes(settings: GatewaySettings) -> RouteTable:
    """Every service at ``/{name}``, its target from ``FOUNTAIN_<NAME>_URL``."""
    return RouteTable(
        routes=(
            Route(service="sequence", targets=(settings.sequence_url,), access=_SEQUENCE_ACCESS),
            Route(service="kms", targets=(settings.kms_url,), access=_KMS_ACCESS),
            Route(service="twofa", targets=(settings.twofa_url,), access=_DEFAULT_ACCESS),
            Route(
                service="characters",
                targets=(settings.characters_url,),
                access=_STORY_ACCESS,
            ),
            Route(
                service="scripts",
                targets=(settings.scripts_url,),
                access=_SCRIPTS_ACCESS,
            ),
            Route(service="sessions", targets=(settings.sessions_url,), access=_STORY_ACCESS),
            Route(
                service="story",
                targets=(settings.story_url,),
                access=_STORY_ACCESS,
                timeout=300.0,
                max_body_bytes=64 * 1024 * 1024,
            ),
        )
    )


def load_routes(settings: GatewaySettings) -> RouteTable:
    """The YAML table if ``routes_file`` is set, else the defaults."""
    if settings.routes_file is not None:
        return RouteTable.from_yaml(settings.routes_file)
    return default_routes(settings)
