"""Fixtures of the parser tests: the freely licensed screenplays copied, with their licences,
from ``../shared/fixtures/screenplays`` into ``tests/fixtures/screenplays`` (see its README)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "screenplays"


def fixture_files(suffix: str) -> list[Path]:
    """Every fixture file with this suffix (``.fountain``, ``.fdx``), sorted."""
    return sorted(FIXTURES.rglob(f"*{suffix}"))


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.fail(f"screenplay fixtures missing: {FIXTURES}")
    return FIXTURES
