from __future__ import annotations

import json
from pathlib import Path

from fountainai.services.sequence.app import DEFINITION
from tests.cli.conftest import Env, invoke


def test_openapi_prints_the_service_document_with_sorted_keys(cli_env: Env) -> None:
    result = invoke(["openapi", "sequence"], cli_env)

    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["info"]["title"] == DEFINITION.title
    assert document["paths"]["/api/v1/sequence"]["post"]["operationId"] == "generateSequenceNumber"
    assert list(document) == sorted(document)
    assert list(document["paths"]) == sorted(document["paths"])
    assert (
        result.stdout == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )


def test_openapi_output_is_stable_and_written_to_a_file(cli_env: Env, tmp_path: Path) -> None:
    target = tmp_path / "specs" / "sequence.json"

    first = invoke(["openapi", "sequence"], cli_env)
    written = invoke(["openapi", "sequence", "--output", str(target)], cli_env)

    assert written.exit_code == 0, written.stderr
    assert str(target) in written.stdout
    assert target.read_text(encoding="utf-8") == first.stdout


def test_openapi_does_not_touch_the_database(cli_env: Env, database_path: Path) -> None:
    result = invoke(["openapi", "sequence"], cli_env)

    assert result.exit_code == 0
    assert not database_path.exists()


def test_services_lists_name_port_and_title(cli_env: Env) -> None:
    result = invoke(["services"], {**cli_env, "FOUNTAIN_SEQUENCE_PORT": "8123"})

    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if "sequence" in line)
    assert "8123" in row
    assert "http://127.0.0.1:8123" in row
    assert DEFINITION.title in row
