"""``kong_config``: the routing table as Kong's ``kong.yml``. No Kong binary here, so the file is
checked against Kong's rules (names unique, references resolve, known plugins, one plugin per
scope) and routed by a model of Kong 3's router (priority as in ``kong/router/transform.lua``):
every request must land where our gateway sends it, with the same access decision."""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key
from hypothesis import given
from hypothesis import strategies as st

from fountainai.core.auth import public_jwk
from fountainai.gateway.config import GatewaySettings
from fountainai.gateway.defaults import default_routes
from fountainai.gateway.kong import (
    PERIOD_SECONDS,
    PERIODS,
    KongExportError,
    kong_config,
    kong_limit,
)
from fountainai.gateway.kong_rules import ALL_METHODS, ROLE_GROUPS, glob_regex
from fountainai.gateway.routes import RouteTable

KNOWN_PLUGINS = {"acl", "jwt", "key-auth", "rate-limiting", "request-size-limiting",
                 "request-termination", "request-transformer"}  # fmt: skip
SETTINGS = GatewaySettings()
Config = dict[str, Any]


def structure_errors(config: Config) -> list[str]:
    """What Kong would refuse when loading ``config`` (the rules that matter here)."""
    errors: list[str] = []
    services, upstreams = config["services"], config["upstreams"]
    routes = [route for service in services for route in service["routes"]]
    consumers = config["consumers"]
    for kind, names in (
        ("service", [s["name"] for s in services]),
        ("route", [r["name"] for r in routes]),
        ("upstream", [u["name"] for u in upstreams]),
        ("consumer", [c["username"] for c in consumers]),
        ("jwt key", [j["key"] for c in consumers for j in c.get("jwt_secrets", [])]),
    ):
        errors += [f"{kind} {name} twice" for name, n in Counter(names).items() if n > 1]
    upstream_names = {u["name"] for u in upstreams}
    errors += [f"{s['name']}: no upstream" for s in services if s["host"] not in upstream_names]
    scopes = [(f"service {s['name']}", s["plugins"]) for s in services]
    scopes += [(f"route {r['name']}", r["plugins"]) for r in routes]
    scopes += [(f"consumer {c['username']}", c.get("plugins", [])) for c in consumers]
    top = config["plugins"]
    scopes += [(f"{p['consumer']}+{p['service']}", [p]) for p in top]
    for plugin in top:
        if plugin["consumer"] not in {c["username"] for c in consumers}:
            errors.append(f"top-level plugin names unknown consumer {plugin['consumer']}")
        if plugin["service"] not in {s["name"] for s in services}:
            errors.append(f"top-level plugin names unknown service {plugin['service']}")
    for scope, plugins in scopes:
        names = [plugin["name"] for plugin in plugins]
        errors += [f"{scope}: unknown plugin {n}" for n in names if n not in KNOWN_PLUGINS]
        errors += [f"{scope}: {n} twice" for n, count in Counter(names).items() if count > 1]
    for plugin in [p for _, plugins in scopes for p in plugins if p["name"] == "rate-limiting"]:
        limits = [plugin["config"][name] for name, _ in PERIODS if name in plugin["config"]]
        if not limits or limits != sorted(limits):
            errors.append(f"rate-limiting periods {limits}: a longer one may not be lower")
    for route in routes:
        if not set(route["methods"]) <= set(ALL_METHODS) or not route["paths"]:
            errors.append(f"route {route['name']}: bad methods or no paths")
        for path in route["paths"]:
            if path.startswith("~"):
                re.compile(_python_regex(path))
    return errors


def _python_regex(path: str) -> str:
    """Kong anchors a regex path at the start and reads ``(?<name>`` as Rust's ``(?P<name>``."""
    return "^" + path[1:].replace("(?<", "(?P<")


def kong_routing(config: Config, method: str, path: str, host: str = "gateway.test") -> Any:
    """(service name, Kong route, upstream path) for a request, by Kong's route priority."""
    candidates = []
    for service in config["services"]:
        for route in service["routes"]:
            if method not in route["methods"] or host not in route.get("hosts", [host]):
                continue
            for pattern in route["paths"]:
                regex = pattern.startswith("~")
                found = re.match(_python_regex(pattern), path) if regex else None
                if found is None if regex else not path.startswith(pattern):
                    continue
                priority = (
                    2 + bool(route.get("hosts")),  # match weight: methods, paths (+ hosts)
                    bool(route.get("hosts")),  # plain hosts only
                    regex,
                    route.get("regex_priority", 0) if regex else 0,
                    0 if regex else len(pattern),
                )
                candidates.append((priority, service, route, pattern, found))
    if not candidates:
        return None
    candidates.sort(key=lambda candidate: candidate[0], reverse=True)
    assert len(candidates) == 1 or candidates[0][0] != candidates[1][0], "ambiguous routing"
    _, service, route, pattern, found = candidates[0]
    upstream = path
    if route["strip_path"]:
        upstream = "/" + path[len(pattern) :].lstrip("/")
    for plugin in route["plugins"]:
        if plugin["name"] == "request-transformer":
            uri = plugin["config"]["replace"]["uri"]
            assert found is not None
            upstream = uri.replace("$(uri_captures.path)", found.group("path"))
    return service["name"], route, upstream


def decision(route: Config) -> tuple[str, tuple[str, ...] | None]:
    """What a Kong route does: ('deny'|'public'|'auth', the acl's allowed groups)."""
    names = {plugin["name"]: plugin for plugin in route["plugins"]}
    if "request-termination" in names:
        assert names["request-termination"]["config"]["status_code"] == 404
        return "deny", None
    if "jwt" not in names:
        assert not {"key-auth", "acl"} & set(names)
        return "public", None
    assert names["key-auth"]["config"]["key_names"] == ["X-API-Key"]
    acl = names.get("acl")
    return "auth", None if acl is None else tuple(acl["config"]["allow"])


def expected(table: RouteTable, service: str, method: str, rest: str) -> Any:
    rule = table.by_service[service].access_for(method, rest)
    if rule.deny:
        return "deny", None
    if rule.public:
        return "public", None
    return "auth", None if rule.role is None else ROLE_GROUPS[rule.role]


def ed25519_jwks(*kids: str) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = {kid: Ed25519PrivateKey.generate().public_key() for kid in kids}
    return {"keys": [public_jwk(key, kid) for kid, key in keys.items()]}, keys


TABLE = default_routes(SETTINGS)
EXPORT = kong_config(TABLE, SETTINGS)


def test_the_default_table_exports_to_yaml_that_parses_back_and_kong_would_load() -> None:
    text = yaml.safe_dump(EXPORT.config, sort_keys=False)

    assert yaml.safe_load(text) == EXPORT.config
    assert "&id" not in text  # no YAML anchors: every object is written out
    assert EXPORT.config["_format_version"] == "3.0"
    assert "fountain gateway export-kong" in EXPORT.config["_comment"]
    assert "API keys are hashed at rest" in EXPORT.config["_comment"]
    assert structure_errors(EXPORT.config) == []


def test_every_route_has_its_service_upstream_and_prefix_route() -> None:
    services = {service["name"]: service for service in EXPORT.config["services"]}
    upstreams = {upstream["name"]: upstream for upstream in EXPORT.config["upstreams"]}
    for route in TABLE.routes:
        service = services[route.service]
        upstream = upstreams[service["host"]]
        assert service["host"] == f"{route.service}.upstream"
        assert [t["target"] for t in upstream["targets"]] == [
            t.removeprefix("http://") for t in route.targets
        ]
        assert (service["retries"], service["connect_timeout"]) == (route.retries, 1000)
        assert service["read_timeout"] == service["write_timeout"] == route.timeout * 1000
        assert upstream["healthchecks"]["active"]["http_path"] == route.health_path
        passive = upstream["healthchecks"]["passive"]["unhealthy"]
        assert passive["http_statuses"] == [502, 503, 504]
        assert passive["tcp_failures"] == SETTINGS.breaker_failures
        main = service["routes"][0]
        assert (main["paths"], main["strip_path"]) == ([f"/{route.service}/"], True)
    assert services["story"]["read_timeout"] == 300_000


@pytest.mark.parametrize(
    ("method", "path", "outcome"),
    [
        ("POST", "/kms/api/v1/login", ("public", None)),
        ("POST", "/kms/api/v1/login/mfa/verify", ("public", None)),
        ("GET", "/kms/.well-known/jwks.json", ("public", None)),
        ("GET", "/story/health/ready", ("public", None)),
        ("GET", "/kms/api/v1/login", ("auth", None)),
        ("GET", "/kms/metrics", ("deny", None)),
        ("POST", "/scripts/api/v1/internal/placements", ("deny", None)),
        ("GET", "/sessions/api/v1/internal/x", ("deny", None)),  # not the reader rule after it
        ("POST", "/kms/api/v1/keys/introspect", ("deny", None)),
        ("DELETE", "/kms/api/v1/keys/k1", ("auth", ("admin",))),
        ("GET", "/scripts/api/v1/scripts", ("auth", ("reader", "writer", "admin"))),
        ("PUT", "/scripts/api/v1/scripts/1", ("auth", ("writer", "admin"))),
    ],
)
def test_kong_routes_requests_as_the_gateway_does(
    method: str, path: str, outcome: tuple[str, Any]
) -> None:
    service, route, upstream = kong_routing(EXPORT.config, method, path)

    assert path.startswith(f"/{service}/")
    assert decision(route) == outcome
    if outcome[0] != "deny":  # a denied request never goes upstream
        assert upstream == path.removeprefix(f"/{service}")


_SEGMENTS = st.sampled_from(
    ["api", "v1", "login", "mfa", "keys", "introspect", "users", "internal", "metrics", "health",
     "ready", ".well-known", "audit", "scripts", "versions", "register", "x", "a.b", ""]
)  # fmt: skip


@given(
    st.sampled_from([route.service for route in TABLE.routes]),
    st.sampled_from(ALL_METHODS),
    # Kong merges '//' where the gateway forwards it as sent: only a last segment may be empty.
    st.lists(_SEGMENTS, min_size=0, max_size=5).filter(lambda parts: "" not in parts[:-1]),
)
def test_any_request_gets_our_access_decision_and_upstream_path(
    service: str, method: str, segments: list[str]
) -> None:
    rest = "/" + "/".join(segments)

    found = kong_routing(EXPORT.config, method, f"/{service}{rest}")

    assert found is not None
    assert found[0] == service
    assert decision(found[1]) == expected(TABLE, service, method, rest)
    assert found[2] == rest or decision(found[1])[0] == "deny"


def test_quotas_map_exactly_for_whole_kong_periods() -> None:
    rate_limits = [
        p for p in EXPORT.config["services"][0]["plugins"] if p["name"] == "rate-limiting"
    ]
    assert [p["config"]["minute"] for p in rate_limits] == [300]  # FOUNTAIN_GATEWAY_RATE_LIMIT_IP
    assert rate_limits[0]["config"]["limit_by"] == "ip"
    assert rate_limits[0]["config"]["policy"] == "local"
    for window, period in ((1, "second"), (60, "minute"), (3600, "hour"), (86400, "day")):
        mapped = kong_limit(123, window)
        assert (mapped.period, mapped.limit, mapped.exact) == (period, 123, True)


@given(st.integers(1, 10_000_000), st.integers(1, 366 * 86400))
def test_a_quota_never_maps_to_a_higher_rate(limit: int, window: int) -> None:
    if limit * PERIOD_SECONDS["year"] < window:
        with pytest.raises(KongExportError):
            kong_limit(limit, window)
        return
    mapped = kong_limit(limit, window)
    assert mapped.limit >= 1
    assert mapped.limit * window <= limit * PERIOD_SECONDS[mapped.period]  # Kong's rate <= ours
    if window in (1, 60, 3600, 86400):
        assert (mapped.exact, mapped.limit) == (True, limit)


def test_a_jwks_key_becomes_a_consumer_whose_pem_is_the_same_key() -> None:
    jwks, keys = ed25519_jwks("k-2025", "k-2026")

    export = kong_config(TABLE, SETTINGS, jwks=jwks)

    consumers = {c["username"]: c for c in export.config["consumers"]}
    assert set(consumers) == {"anonymous", "kms-key-k-2025", "kms-key-k-2026"}
    for kid, key in keys.items():
        (secret,) = consumers[f"kms-key-{kid}"]["jwt_secrets"]
        assert (secret["key"], secret["algorithm"]) == (kid, "EdDSA")
        loaded = load_pem_public_key(secret["rsa_public_key"].encode())
        raw = PublicFormat.Raw
        assert loaded.public_bytes(Encoding.Raw, raw) == key.public_bytes(Encoding.Raw, raw)
    user_limits = [p for p in export.config["plugins"] if p["service"] == "kms"]
    assert {p["consumer"] for p in user_limits} == {"kms-key-k-2025", "kms-key-k-2026"}
    assert all(p["config"]["minute"] == 600 for p in user_limits)
    assert all(p["config"]["limit_by"] == "consumer" for p in user_limits)
    assert structure_errors(export.config) == []
    assert not any("--jwks" in warning for warning in export.warnings)


def test_unenforceable_rules_are_warned_never_dropped() -> None:
    text = "\n".join(EXPORT.warnings)
    assert EXPORT.config["_comment"].endswith(EXPORT.warnings[-1])
    for where in (
        "kms: POST,DELETE /api/v1/keys*",
        "kms: PATCH /api/v1/users/*",
        "scripts: DELETE /api/v1/scripts/*",
        "sequence: DELETE /api/v1/versions/*",
    ):
        assert f"{where}: step-up" in text
    assert "revocation list" in text
    assert "no JWKS given" in text
    assert "give each a rate-limiting plugin on service(s) sequence, kms" in text


def test_a_yaml_table_with_two_targets_hosts_and_odd_quotas_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "routes.yaml"
    source.write_text(
        """
routes:
  - service: scripts
    targets: ["http://10.0.0.1:8006", "http://10.0.0.2:9006"]
    hosts: ["scripts.example.com"]
    retries: 4
    connect_timeout: 0.5
    timeout: 12.5
    access:
      - {path: /health/*, methods: [GET], public: true}
      - {path: /api/v1/export, scopes: [story:read], role: reader}
    rate_limits:
      - {name: burst, by: ip, limit: 10, window: 30}
      - {name: hourly, by: ip, limit: 100, window: 3600, methods: [POST]}
    cache: {ttl: 30}
""",
        encoding="utf-8",
    )
    table = RouteTable.from_yaml(source)
    redis = GatewaySettings(redis_url="rediss://user:pw@redis.internal:6380/3", redis_down="closed")

    export = kong_config(table, redis)

    loaded = yaml.safe_load(yaml.safe_dump(export.config, sort_keys=False))
    assert structure_errors(loaded) == []
    (upstream,) = loaded["upstreams"]
    assert [t["target"] for t in upstream["targets"]] == ["10.0.0.1:8006", "10.0.0.2:9006"]
    (service,) = loaded["services"]
    assert (service["retries"], service["connect_timeout"], service["read_timeout"]) == (
        4,
        500,
        12500,
    )
    (limits,) = [p["config"] for p in service["plugins"] if p["name"] == "rate-limiting"]
    # 10 per 30 s -> 0 per second rounds to nothing, so 20 per minute; clamped below the hour's
    assert (limits["minute"], limits["hour"], limits["limit_by"]) == (20, 100, "ip")
    assert (limits["policy"], limits["redis_host"], limits["redis_port"]) == (
        "redis",
        "redis.internal",
        6380,
    )
    assert (limits["redis_database"], limits["redis_ssl"], limits["fault_tolerant"]) == (
        3,
        True,
        False,
    )
    assert "pw" not in yaml.safe_dump(loaded)
    by_host = kong_routing(loaded, "GET", "/api/v1/export", host="scripts.example.com")
    assert (by_host[0], decision(by_host[1]), by_host[2]) == (
        "scripts",
        ("auth", ("reader", "writer", "admin")),
        "/api/v1/export",
    )
    assert decision(kong_routing(loaded, "GET", "/health/live", host="scripts.example.com")[1]) == (
        "public",
        None,
    )
    assert kong_routing(loaded, "GET", "/scripts/api/v1/export")[2] == "/api/v1/export"
    text = "\n".join(export.warnings)
    assert "scopes story:read unchecked" in text
    assert "quota hourly counts every method" in text
    assert "quota burst (10 per 30 s) becomes 20 per minute" in text
    assert "response cache is not exported" in text
    assert "Redis credentials are not exported" in text
    assert all(p["name"] != "proxy-cache" for p in service["plugins"])


def test_what_kong_cannot_express_is_an_error() -> None:
    mixed = RouteTable(routes=({"service": "x", "targets": ("http://a:1", "https://b:2")},))  # type: ignore[arg-type]
    with pytest.raises(KongExportError, match="one scheme and path"):
        kong_config(mixed, SETTINGS)
    with pytest.raises(KongExportError, match="least rate"):
        kong_limit(1, 366 * 86400)
    with pytest.raises(KongExportError, match="twice"):
        kong_config(
            TABLE,
            SETTINGS,
            jwks={"keys": [public_jwk(Ed25519PrivateKey.generate().public_key(), "a")] * 2},
        )


_GLOB_TOKENS = st.sampled_from(
    ["/", "a", "b", ".", "-", "*", "?", "[a-b]", "[!a]", "[.-]", "^", "$"]
)


@given(st.lists(_GLOB_TOKENS, max_size=8).map("".join), st.text("/ab.-c^$", max_size=10))
def test_glob_paths_become_regexes_matching_what_fnmatch_matches(glob: str, path: str) -> None:
    matched = re.fullmatch(glob_regex(glob), path) is not None

    assert matched == fnmatch.fnmatchcase(path, glob)
