"""The routing table: YAML in, checked; access rules decide in order; the defaults guard what
DESIGN §4 says (public login, denied internals, step-up for high privilege); the shipped
deploy/gateway-routes.yaml is exactly the defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from fountainai.core.auth import Role
from fountainai.gateway.config import GatewaySettings
from fountainai.gateway.defaults import default_routes, load_routes
from fountainai.gateway.routes import AUTHENTICATED, RouteTable

SHIPPED = Path(__file__).parents[2] / "deploy" / "gateway-routes.yaml"


def table(*routes: dict[str, Any]) -> RouteTable:
    return RouteTable.model_validate({"routes": list(routes)})


def test_the_shipped_yaml_is_the_defaults() -> None:
    assert RouteTable.from_yaml(SHIPPED) == default_routes(GatewaySettings())


def test_routes_file_setting_loads_yaml(tmp_path: Path) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(yaml.safe_dump({"routes": [{"service": "a", "targets": ["http://x:1/"]}]}))
    loaded = load_routes(GatewaySettings(routes_file=path))
    assert loaded.by_service["a"].targets == ("http://x:1",)


@pytest.mark.parametrize(
    "routes",
    [
        [{"service": "a", "targets": []}],
        [{"service": "a", "targets": ["ftp://x"]}],
        [{"service": "A b", "targets": ["http://x"]}],
        [{"service": "a", "targets": ["http://x"]}, {"service": "a", "targets": ["http://y"]}],
        [
            {"service": "a", "targets": ["http://x"], "hosts": ["h.example"]},
            {"service": "b", "targets": ["http://y"], "hosts": ["H.example"]},
        ],
        [{"service": "a", "targets": ["http://x"], "access": [{"public": True, "role": "admin"}]}],
        [{"service": "a", "targets": ["http://x"], "unknown": 1}],
        [{"service": "a", "targets": ["http://x"], "rate_limits": [{"name": "q", "by": "x"}]}],
        [
            {
                "service": "a",
                "targets": ["http://x"],
                "rate_limits": [{"name": "q", "by": "ip", "limit": 0, "window": 60}],
            }
        ],
    ],
)
def test_bad_tables_are_refused(routes: list[dict[str, Any]]) -> None:
    with pytest.raises(ValidationError):
        table(*routes)


def test_a_yaml_file_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text("- just a list\n")
    with pytest.raises(ValueError, match="routes"):
        RouteTable.from_yaml(path)


def test_the_first_matching_rule_decides() -> None:
    route = table(
        {
            "service": "a",
            "targets": ["http://x"],
            "access": [
                {"path": "/open/*", "methods": ["GET"], "public": True},
                {"path": "/open/*", "role": "admin"},
            ],
        }
    ).by_service["a"]
    assert route.access_for("GET", "/open/x").public
    assert route.access_for("POST", "/open/x").role is Role.ADMIN
    assert route.access_for("GET", "/elsewhere") is AUTHENTICATED


@pytest.mark.parametrize(
    ("service", "method", "path", "expected"),
    [
        ("kms", "POST", "/api/v1/login", "public"),
        ("kms", "POST", "/login", "public"),
        ("kms", "POST", "/api/v1/register", "public"),
        ("kms", "GET", "/.well-known/jwks.json", "public"),
        ("kms", "POST", "/api/v1/keys/introspect", "deny"),
        ("kms", "PUT", "/api/v1/internal/mfa/users/1", "deny"),
        ("kms", "POST", "/api/v1/keys/scripts/rotate", "step_up"),
        ("kms", "DELETE", "/keys/scripts", "step_up"),
        ("kms", "PATCH", "/api/v1/users/5", "step_up"),
        ("kms", "GET", "/api/v1/users/me", "authenticated"),
        ("scripts", "DELETE", "/api/v1/scripts/4", "step_up"),
        ("scripts", "DELETE", "/api/v1/sections/4", "writer"),
        ("scripts", "GET", "/api/v1/scripts", "reader"),
        ("sequence", "DELETE", "/api/v1/versions/script/1", "step_up"),
        ("sequence", "GET", "/metrics", "deny"),
        ("story", "GET", "/health/ready", "public"),
        ("story", "POST", "/api/v1/stories/import", "writer"),
    ],
)
def test_the_default_rules(service: str, method: str, path: str, expected: str) -> None:
    rule = default_routes(GatewaySettings()).by_service[service].access_for(method, path)
    kinds = {
        "public": rule.public,
        "deny": rule.deny,
        "step_up": rule.step_up,
        "writer": rule.role is Role.WRITER and not rule.step_up,
        "reader": rule.role is Role.READER,
        "authenticated": rule is AUTHENTICATED,
    }
    assert kinds[expected], rule
