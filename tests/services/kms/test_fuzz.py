"""Fuzz every KMS operation from its OpenAPI against a real server: never a 5xx, always problems.

The admin's token rides along on every case, so the protected operations are reached too (their
generated bodies are mostly invalid: the point is that nothing breaks on any of them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from fountainai.services.kms.app import create_app
from fountainai.services.kms.config import KmsSettings
from tests.integration.conftest import Platform, running_platform

pytestmark = pytest.mark.integration
MAX_EXAMPLES = int(os.environ.get("FOUNTAIN_FUZZ_EXAMPLES", "40"))


@pytest.fixture(scope="module")
def kms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    data_dir: Path = tmp_path_factory.mktemp("kms-fuzz")
    env = {**os.environ, "FOUNTAIN_DATA_DIR": str(data_dir), "FOUNTAIN_KMS_LOG_LEVEL": "WARNING"}
    with running_platform(env, data_dir) as platform:
        yield platform
    server_log = (data_dir / "kms.log").read_text()
    assert "unhandled_error" not in server_log, server_log[-4000:]


schema: OpenApiSchema = schemathesis.openapi.from_dict(create_app(KmsSettings()).openapi())


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_or_breaks_its_contract(
    case: schemathesis.Case[Any], kms_server: Platform
) -> None:
    response = case.call(base_url=kms_server.kms, headers=kms_server.auth, timeout=30)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.text[:500]}"
    if response.status_code >= 400:
        assert response.headers["content-type"][0] == "application/problem+json"
    # Rules the schema cannot state (usernames are checked after NFKC normalization, passwords
    # against the configured minimum) rightly reject some schema-valid bodies with 422.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
