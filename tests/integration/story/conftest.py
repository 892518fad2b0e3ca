"""One story platform per backend for this package: SQLite (a file per service) and PostgreSQL.

Starting processes is the slow part (each imports the whole stack), so the package's modules
share the platform of a backend; tests keep out of each other's way by working in scripts and
sessions of their own, and a test that stops a service starts it again (``stopped()``).

Characters joined as one ``StoryService`` in ``STORY_SERVICES``: it starts alongside the
others, told where Scripts and Central Sequence are (``FOUNTAIN_SCRIPTS_URL``,
``FOUNTAIN_SEQUENCE_URL``), and ``Story.characters`` is its typed helper.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.conftest import BACKENDS, _truncate_all
from tests.integration.story.api import Story, acting_as
from tests.integration.story.platform import (
    CHARACTERS,
    SCRIPTS,
    SESSIONS,
    StoryPlatform,
    StoryService,
    running_story_platform,
)

STORY_SERVICES: tuple[StoryService, ...] = (SCRIPTS, SESSIONS, CHARACTERS)


@pytest.fixture(scope="package", params=BACKENDS)
def story_database(request: pytest.FixtureRequest) -> str:
    """``sqlite`` (each service then gets its own file), or the run's PostgreSQL database,
    emptied first (the KMS's bootstrap needs an empty account table)."""
    if request.param == "sqlite":
        return "sqlite"
    url: str = request.getfixturevalue("postgres_database")
    asyncio.run(_truncate_all(url))
    return url


@pytest.fixture(scope="package")
def story(story_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoryPlatform]:
    """KMS, Central Sequence and ``STORY_SERVICES``, each its own process."""
    data_dir = tmp_path_factory.mktemp("story")
    with running_story_platform(story_database, data_dir, STORY_SERVICES) as platform:
        yield platform


@pytest.fixture(scope="package")
def writer(story: StoryPlatform) -> Iterator[Story]:
    with acting_as(story, "writer") as apis:
        yield apis


@pytest.fixture(scope="package")
def other_writer(story: StoryPlatform) -> Iterator[Story]:
    with acting_as(story, "other-writer") as apis:
        yield apis


@pytest.fixture(scope="package")
def reader(story: StoryPlatform) -> Iterator[Story]:
    with acting_as(story, "reader") as apis:
        yield apis


@pytest.fixture(scope="package")
def admin(story: StoryPlatform) -> Iterator[Story]:
    with acting_as(story, "admin") as apis:
        yield apis
