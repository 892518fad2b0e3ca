"""Fuzz every operation from the OpenAPI spec against a real server: never a 5xx, always problems.

Schemathesis generates valid and invalid requests for each documented operation; the service must
answer within its contract (documented statuses, schemas and problem+json errors) and never 500.
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

from fountainai.services.sequence.app import create_app
from fountainai.services.sequence.config import SequenceSettings
from tests.integration.conftest import Platform, running_platform

pytestmark = pytest.mark.integration
MAX_EXAMPLES = int(os.environ.get("FOUNTAIN_FUZZ_EXAMPLES", "40"))


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    env = {
        **os.environ,
        "FOUNTAIN_DATA_DIR": str(data_dir),
        "FOUNTAIN_SEQUENCE_LOG_LEVEL": "WARNING",
    }
    with running_platform(env, data_dir) as platform:
        yield platform
    server_log = (data_dir / "sequence.log").read_text()
    assert "unhandled_error" not in server_log, server_log[-4000:]


# The spec comes from the code (building an app does no I/O); the cases go to the real server.
schema: OpenApiSchema = schemathesis.openapi.from_dict(create_app(SequenceSettings()).openapi())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_5xx_or_breaks_its_contract(
    case: schemathesis.Case[Any], fuzz_server: Platform
) -> None:
    response = case.call(base_url=fuzz_server.sequence, headers=fuzz_server.auth, timeout=10)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.text[:500]}"
    if response.status_code >= 400:
        assert response.headers["content-type"][0] == "application/problem+json"
    # Cross-field rules the schema cannot state (scriptId required unless elementType is
    # 'script'; a reorder must be a permutation) rightly reject some schema-valid bodies with 422.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
