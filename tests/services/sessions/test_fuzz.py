"""Fuzz every operation from the OpenAPI spec against real uvicorn servers: never a 5xx.

The sessions app and the real Central Sequence (which it asks whether a script or a context's
element is live) run in threads, trusting one test issuer; the cases carry an admin's token, so
they reach every operation (an admin may read and change any session). A few scripts and
characters are numbered first, so some generated ids name live elements and their writes succeed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from fountainai.services.sequence.app import create_app as create_sequence_app
from fountainai.services.sequence.config import SequenceSettings
from fountainai.services.sessions.app import create_app
from fountainai.services.sessions.config import SessionsSettings
from tests.services.sessions.conftest import ROOT
from tests.support.threaded_server import served_in_thread
from tests.support.tokens import LocalIssuer

pytestmark = pytest.mark.integration
MAX_EXAMPLES = int(os.environ.get("FOUNTAIN_FUZZ_EXAMPLES", "40"))
LIVE_IDS = range(1, 6)


@pytest.fixture(scope="module")
def sessions_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, dict[str, str]]]:
    data_dir: Path = tmp_path_factory.mktemp("sessions-fuzz")
    sequence_settings = SequenceSettings(data_dir=data_dir, log_level="WARNING")
    issuer = LocalIssuer(sequence_settings)
    sequence_app = create_sequence_app(sequence_settings)
    sequence_app.state.authenticator = issuer.authenticator()
    with served_in_thread(sequence_app) as sequence_url:
        _number_some_elements(sequence_url, issuer.headers("writer"))
        app = create_app(
            SessionsSettings(data_dir=data_dir, sequence_url=sequence_url, log_level="WARNING")
        )
        app.state.authenticator = issuer.authenticator()
        with served_in_thread(app) as base_url:
            yield base_url, ROOT.headers(issuer)


def _number_some_elements(sequence_url: str, headers: dict[str, str]) -> None:
    """Scripts and characters 1-5 live (each character in the script of its id)."""
    with httpx.Client(base_url=sequence_url, headers=headers) as sequence:
        for element_id in LIVE_IDS:
            for body in (
                {"elementType": "script", "elementId": element_id},
                {"elementType": "character", "elementId": element_id, "scriptId": element_id},
            ):
                response = sequence.post("/api/v1/sequence", json=body)
                assert response.status_code == 201, response.text


schema: OpenApiSchema = schemathesis.openapi.from_dict(create_app(SessionsSettings()).openapi())


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_or_breaks_its_contract(
    case: schemathesis.Case[Any], sessions_server: tuple[str, dict[str, str]]
) -> None:
    base_url, headers = sessions_server
    response = case.call(base_url=base_url, headers=headers, timeout=30)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.text[:500]}"
    if response.status_code >= 400:
        assert response.headers["content-type"][0] == "application/problem+json"
    # Rules the schema cannot state rightly refuse some schema-valid bodies (a context over the
    # size limit, an append past 500 items, NUL characters, a script or element that is not
    # live) with 422. Query filters (key,
    # context) take any text, including the arrays and objects schemathesis serialises into them
    # as "invalid" data (found in CI); test_bad_input.py covers refusals case by case.
    case.validate_response(
        response, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )
