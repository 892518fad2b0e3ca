"""``fountain gateway export-kong``: writes kong.yml (or stdout), prints what Kong cannot enforce,
reads the routing table from --routes and the KMS's keys from a file or a real JWKS URL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from fountainai.core.auth import public_jwk
from tests.cli.conftest import Env, invoke
from tests.support.threaded_server import served_in_thread

TWO_TARGETS = """
routes:
  - service: scripts
    targets: ["http://10.0.0.1:8006", "http://10.0.0.2:8006"]
    hosts: ["scripts.example.com"]
"""


def _jwks(kid: str) -> dict[str, Any]:
    return {"keys": [public_jwk(Ed25519PrivateKey.generate().public_key(), kid)]}


def test_export_writes_kong_yml_and_prints_the_warnings(cli_env: Env, tmp_path: Path) -> None:
    result = invoke(["gateway", "export-kong"], cli_env)  # cwd is tmp_path (conftest)

    assert result.exit_code == 0, result.stderr
    config = yaml.safe_load((tmp_path / "kong.yml").read_text(encoding="utf-8"))
    assert config["_format_version"] == "3.0"
    assert {service["name"] for service in config["services"]} >= {"kms", "scripts", "story"}
    assert "Wrote kong.yml: 7 services" in result.stdout
    assert "Warning: no JWKS given (--jwks)" in result.stderr
    assert "kms: POST,DELETE /api/v1/keys*: step-up" in result.stderr
    assert "Warning:" not in result.stdout


def test_export_to_stdout_is_only_yaml(cli_env: Env) -> None:
    result = invoke(["gateway", "export-kong", "-o", "-"], cli_env)

    assert result.exit_code == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert config["_format_version"] == "3.0"
    assert "revocation list" in result.stderr


def test_routes_and_jwks_files_are_used(cli_env: Env, tmp_path: Path) -> None:
    (tmp_path / "routes.yaml").write_text(TWO_TARGETS, encoding="utf-8")
    (tmp_path / "jwks.json").write_text(json.dumps(_jwks("key-1")), encoding="utf-8")
    target = tmp_path / "out" / "kong.yml"

    result = invoke(
        [
            "gateway",
            "export-kong",
            "--routes",
            "routes.yaml",
            "--jwks",
            "jwks.json",
            "-o",
            str(target),
        ],
        cli_env,
    )

    assert result.exit_code == 0, result.stderr
    config = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert [service["name"] for service in config["services"]] == ["scripts"]
    targets = [t["target"] for t in config["upstreams"][0]["targets"]]
    assert targets == ["10.0.0.1:8006", "10.0.0.2:8006"]
    host_routes = [r for r in config["services"][0]["routes"] if r.get("hosts")]
    assert host_routes[0]["hosts"] == ["scripts.example.com"]
    consumer = next(c for c in config["consumers"] if c["username"] == "kms-key-key-1")
    assert consumer["jwt_secrets"][0]["key"] == "key-1"
    assert "no JWKS given" not in result.stderr


def test_jwks_is_fetched_from_a_url(cli_env: Env) -> None:
    document = _jwks("served")
    kms = FastAPI()
    kms.get("/.well-known/jwks.json")(lambda: document)

    with served_in_thread(kms) as url:
        result = invoke(
            ["gateway", "export-kong", "-o", "-", "--jwks", f"{url}/.well-known/jwks.json"],
            cli_env,
        )

    assert result.exit_code == 0, result.stderr
    usernames = [c["username"] for c in yaml.safe_load(result.stdout)["consumers"]]
    assert "kms-key-served" in usernames


def test_unreadable_inputs_end_cleanly(cli_env: Env, tmp_path: Path) -> None:
    missing = invoke(["gateway", "export-kong", "--jwks", "nope.json"], cli_env)
    (tmp_path / "bad.yaml").write_text(
        'routes: [{service: x, targets: ["http://a:1", "https://b:2"]}]', encoding="utf-8"
    )
    mixed = invoke(["gateway", "export-kong", "--routes", "bad.yaml"], cli_env)

    assert missing.exit_code == 1
    assert "cannot read the JWKS from nope.json" in missing.stderr
    assert mixed.exit_code == 1
    assert "one scheme and path" in mixed.stderr
    assert not (tmp_path / "kong.yml").exists()
