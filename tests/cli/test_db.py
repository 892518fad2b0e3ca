from __future__ import annotations

import ast
import shutil
import sqlite3
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from fountainai.cli.registry import SERVICES
from fountainai.core.db import Migrations
from fountainai.services.sequence.app import DEFINITION
from tests.cli.conftest import Env, invoke


def sequence_migrations() -> Migrations:
    """The shipped ones, whatever a test put in the registry."""
    assert DEFINITION.migrations is not None
    return DEFINITION.migrations


def recorded_revision(database: Path) -> str | None:
    with closing(sqlite3.connect(database)) as conn:
        tables = conn.execute(
            "SELECT name FROM sqlite_master WHERE name = 'alembic_version_sequence'"
        ).fetchall()
        if not tables:
            return None
        rows = conn.execute("SELECT version_num FROM alembic_version_sequence").fetchall()
    return str(rows[0][0]) if rows else None


def script_assignments(script: Path) -> dict[str, object]:
    """The literal module-level assignments of a migration script (revision, down_revision...)."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    return {
        node.target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value
    }


def use_migrations(monkeypatch: pytest.MonkeyPatch, migrations: Migrations | None) -> None:
    entry = SERVICES["sequence"]
    definition = replace(entry.definition, migrations=migrations)
    monkeypatch.setitem(SERVICES, "sequence", replace(entry, definition=definition))


@pytest.fixture
def scratch_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Migrations]:
    """A copy of sequence's migrations package, so new revisions never land in the repository."""
    package = f"scratch_migrations_{uuid.uuid4().hex[:8]}"
    shutil.copytree(
        sequence_migrations().directory,
        tmp_path / "packages" / package,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    monkeypatch.syspath_prepend(tmp_path / "packages")
    migrations = Migrations(service="sequence", package=package)
    use_migrations(monkeypatch, migrations)
    yield migrations
    sys.modules.pop(package, None)


def test_current_reports_an_unmigrated_database(cli_env: Env) -> None:
    result = invoke(["db", "current", "sequence"], cli_env)

    assert result.exit_code == 0, result.stderr
    assert "not migrated yet" in result.stdout
    assert f"Head: {sequence_migrations().head()}" in result.stdout


def test_upgrade_applies_every_migration(cli_env: Env, database_path: Path) -> None:
    head = sequence_migrations().head()

    upgraded = invoke(["db", "upgrade", "sequence"], cli_env)
    current = invoke(["db", "current", "sequence"], cli_env)

    assert upgraded.exit_code == 0, upgraded.stderr
    assert str(database_path) in upgraded.stdout
    assert f"revision {head}" in upgraded.stdout
    assert recorded_revision(database_path) == head
    assert current.exit_code == 0
    assert f"Current: {head}" in current.stdout
    assert "up to date" in current.stdout


def test_upgrade_to_an_unknown_revision_fails_cleanly(cli_env: Env, database_path: Path) -> None:
    result = invoke(["db", "upgrade", "sequence", "--revision", "nope"], cli_env)

    assert result.exit_code == 1
    assert "nope" in result.stderr
    assert recorded_revision(database_path) is None


def test_revision_empty_writes_a_new_head_outside_the_repository(
    cli_env: Env, database_path: Path, scratch_migrations: Migrations
) -> None:
    shipped = sorted(path.name for path in (sequence_migrations().directory / "versions").iterdir())
    before = scratch_migrations.head()

    result = invoke(["db", "revision", "sequence", "-m", "add notes", "--empty"], cli_env)

    assert result.exit_code == 0, result.stderr
    head = scratch_migrations.head()
    assert head not in (None, before)
    [script] = (scratch_migrations.directory / "versions").glob(f"{head}_add_notes.py")
    assert script_assignments(script)["down_revision"] == before
    assert sorted(p.name for p in (sequence_migrations().directory / "versions").iterdir()) == (
        shipped
    )
    upgraded = invoke(["db", "upgrade", "sequence"], cli_env)
    assert upgraded.exit_code == 0, upgraded.stderr
    assert recorded_revision(database_path) == head


def test_revision_autogenerate_finds_the_models_and_migrations_in_agreement(
    cli_env: Env, scratch_migrations: Migrations
) -> None:
    result = invoke(["db", "revision", "sequence", "-m", "no drift"], cli_env)

    assert result.exit_code == 0, result.stderr
    [script] = (scratch_migrations.directory / "versions").glob("*_no_drift.py")
    upgrade_body = script.read_text().split("def upgrade() -> None:")[1].split("def downgrade")[0]
    statements = [line.strip() for line in upgrade_body.splitlines() if line.strip()]
    assert [s for s in statements if not s.startswith("#")] == ["pass"], upgrade_body


def test_a_service_without_migrations_is_an_error(
    cli_env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_migrations(monkeypatch, None)

    result = invoke(["db", "upgrade", "sequence"], cli_env)

    assert result.exit_code == 1
    assert "has no database migrations" in result.stderr
