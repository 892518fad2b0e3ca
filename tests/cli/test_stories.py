"""``fountain import``, ``export`` and ``story`` against a real Story Factory over HTTP, with the
real Central Sequence, Scripts, Characters and Sessions behind it (all in this event loop).

The CLI runs its own event loop, so each run happens in a worker thread while this loop keeps
the servers answering."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from typer.testing import CliRunner, Result

from fountainai.cli import story_output
from fountainai.cli.main import app as cli_app
from fountainai.core.clients import (
    CharactersClient,
    ForwardedCredentials,
    ImportReport,
    ScriptsClient,
    SequenceClient,
    SessionsClient,
    StoryClient,
    StoryNode,
)
from fountainai.core.errors import NotFound, UpstreamUnavailable
from fountainai.services.story.app import create_app
from fountainai.services.story.clients import StoryClientsDep
from fountainai.services.story.config import StorySettings
from fountainai.services.story.imports.platform import ServicePlatform, get_platform
from tests.cli.conftest import Env, free_port
from tests.services.story.conftest import (
    characters_server,
    issuer,
    scripts_server,
    sequence_server,
    sessions_server,
    settings,
)
from tests.support.platform import FAST_RETRY, ServedApp
from tests.support.tokens import LocalIssuer

__all__ = [
    "characters_server",
    "issuer",
    "scripts_server",
    "sequence_server",
    "sessions_server",
    "settings",
]

FIXTURES = Path(__file__).parents[1] / "fixtures" / "screenplays"
COFFEE_SHOP = FIXTURES / "MasonEgger-fountain-py" / "coffee_shop.fountain"
LONGER = FIXTURES / "earthbound19-_ebScreenplays" / "Cyber_Bob_epWinDebateAgainstLincoln.fountain"
IMPORTS = "/api/v1/stories/imports"


class StoryFactory:
    """The served Story Factory, the app behind it, and a writer's token for it."""

    def __init__(self, served: ServedApp, token: str) -> None:
        self.served = served
        self.url = served.url
        self.token = token

    async def run(self, env: Env, *args: str) -> Result:
        """``fountain <args> --url <the factory> --token <a writer's>`` in a worker thread."""
        return await run_cli(env, *args, "--url", self.url, "--token", self.token)

    async def import_report(self, import_id: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"}
        async with httpx.AsyncClient(base_url=self.url, headers=headers) as client:
            answer = await client.get(f"{IMPORTS}/{import_id}")
        assert answer.status_code == 200, answer.text
        report: dict[str, Any] = answer.json()
        return report


@asynccontextmanager
async def served_factory(
    settings: StorySettings, issuer: LocalIssuer, servers: dict[str, ServedApp]
) -> AsyncIterator[StoryFactory]:
    application = create_app(settings)
    application.state.authenticator = issuer.authenticator()
    async with (
        SequenceClient(servers["sequence"].url, retry=FAST_RETRY) as sequence,
        ScriptsClient(servers["scripts"].url, retry=FAST_RETRY) as scripts,
        CharactersClient(servers["characters"].url, retry=FAST_RETRY) as characters,
        SessionsClient(servers["sessions"].url, retry=FAST_RETRY) as sessions,
    ):
        application.state.sequence = sequence
        application.state.scripts = scripts
        application.state.characters = characters
        application.state.sessions = sessions
        served = ServedApp(application)
        await served.start()
        try:
            yield StoryFactory(served, issuer.token("writer", username="writer-1"))
        finally:
            await served.stop()


@pytest.fixture
def servers(
    sequence_server: ServedApp,
    scripts_server: ServedApp,
    characters_server: ServedApp,
    sessions_server: ServedApp,
) -> dict[str, ServedApp]:
    return {
        "sequence": sequence_server,
        "scripts": scripts_server,
        "characters": characters_server,
        "sessions": sessions_server,
    }


@pytest.fixture
async def factory(
    settings: StorySettings, issuer: LocalIssuer, servers: dict[str, ServedApp]
) -> AsyncIterator[StoryFactory]:
    async with served_factory(settings, issuer, servers) as served:
        yield served


async def run_cli(env: Env, *args: str, stdin: str | None = None) -> Result:
    runner = CliRunner()
    return await asyncio.to_thread(
        runner.invoke, cli_app, list(args), input=stdin, env=env, catch_exceptions=False
    )


def shown(result: Result, label: str) -> str:
    """The value the summary shows after ``label:``."""
    found = re.search(rf"^{re.escape(label)}: (\S+)", result.stdout, re.MULTILINE)
    assert found is not None, result.stdout
    return found.group(1)


def table_counts(result: Result) -> dict[str, int]:
    """The summary table's rows: element type → count."""
    rows = re.findall(r"^│ (\w+)\s+│\s+([\d,]+) │$", result.stdout, re.MULTILINE)
    return {name: int(count.replace(",", "")) for name, count in rows if name != "total"}


async def test_import_shows_what_it_created(
    factory: StoryFactory, cli_env: Env, tmp_path: Path
) -> None:
    result = await factory.run(cli_env, "import", str(COFFEE_SHOP), "--comment", "first draft")

    assert result.exit_code == 0, result.stderr
    assert "Imported coffee_shop.fountain (fountain," in result.stdout
    report = await factory.import_report(shown(result, "Import id"))
    assert report["status"] == "completed"
    assert shown(result, "Script id") == str(report["scriptId"])
    assert table_counts(result) == report["counts"]
    assert report["counts"]["character"] == 2
    assert f"{factory.url}/api/v1/stories?scriptId={report['scriptId']}" in result.stdout
    assert "Warnings" not in result.stdout

    skipping = tmp_path / "skipping.fountain"
    skipping.write_text("# One\n\n### Too deep\n\nINT. HOUSE - DAY\n\nBob waits.\n")
    warned = await factory.run(cli_env, "import", str(skipping), "--format", "fountain")
    assert warned.exit_code == 0, warned.stderr
    assert "Warnings (1):" in warned.stdout
    assert "line 3: section at depth 3 skips a level" in warned.stdout


class SeenProgress:
    """Stands in for the progress bar (a terminal-only display) to keep what it was shown."""

    def __init__(self) -> None:
        self.descriptions: list[str] = []
        self.reports: list[ImportReport] = []

    @contextmanager
    def bar(self, description: str) -> Iterator[SeenProgress]:
        self.descriptions.append(description)
        yield self

    def update(self, report: ImportReport) -> None:
        self.reports.append(report)


async def test_the_progress_bar_follows_the_running_import(
    settings: StorySettings,
    issuer: LocalIssuer,
    servers: dict[str, ServedApp],
    cli_env: Env,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = SeenProgress()
    monkeypatch.setattr(story_output, "import_progress", seen.bar)
    one_by_one = settings.model_copy(update={"import_batch_size": 10})  # steps to follow

    async with served_factory(one_by_one, issuer, servers) as factory:
        result = await factory.run(cli_env, "import", str(LONGER))
        assert result.exit_code == 0, result.stderr
        final = await factory.import_report(shown(result, "Import id"))

    assert seen.descriptions == [f"Importing {LONGER.name}"]
    assert seen.reports, "the import ended before the first poll"
    assert {report.import_id for report in seen.reports} == {final["importId"]}
    assert all(report.elements_total == final["elementsTotal"] for report in seen.reports)
    done = [report.elements_done for report in seen.reports]
    assert done == sorted(done)
    assert done[-1] <= final["elementsTotal"]


async def test_an_export_imports_back_to_the_same_counts(
    factory: StoryFactory, cli_env: Env, tmp_path: Path
) -> None:
    first = await factory.run(cli_env, "import", str(COFFEE_SHOP))
    assert first.exit_code == 0, first.stderr
    script_id = shown(first, "Script id")
    counts = table_counts(first)

    for suffix in ("fountain", "fdx", "json"):
        exported = tmp_path / f"exported.{suffix}"
        result = await factory.run(cli_env, "export", script_id, "-o", str(exported))
        assert result.exit_code == 0, result.stderr
        assert f"as {suffix} to {exported}" in result.stdout
        again = await factory.run(cli_env, "import", str(exported))
        assert again.exit_code == 0, again.stderr
        assert table_counts(again) == counts, suffix
        assert shown(again, "Script id") != script_id


async def test_export_writes_to_stdout_and_overwrites_only_with_force(
    factory: StoryFactory, cli_env: Env, tmp_path: Path
) -> None:
    imported = await factory.run(cli_env, "import", str(COFFEE_SHOP))
    script_id = shown(imported, "Script id")
    target = tmp_path / "kept.fountain"
    target.write_text("mine")

    printed = await factory.run(cli_env, "export", script_id)
    refused = await factory.run(cli_env, "export", script_id, "-o", str(target))
    assert target.read_text() == "mine"
    forced = await factory.run(cli_env, "export", script_id, "-o", str(target), "--force")

    assert printed.exit_code == 0, printed.stderr
    assert "INT. COFFEE SHOP - DAY" in printed.stdout
    assert refused.exit_code == 1
    assert "exists; pass --force to overwrite it" in refused.stderr
    assert forced.exit_code == 0, forced.stderr
    assert target.read_bytes() == printed.stdout_bytes


async def test_story_shows_the_screenplay_formatted(factory: StoryFactory, cli_env: Env) -> None:
    imported = await factory.run(cli_env, "import", str(COFFEE_SHOP))

    result = await factory.run(cli_env, "story", shown(imported, "Script id"))

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "The Coffee Shop Connection" in lines[0]
    assert "INT. COFFEE SHOP - DAY" in lines
    cue = next(line for line in lines if line.strip() == "ALICE")
    speech = next(line for line in lines if line.strip().startswith("Come on, inspiration"))
    action = next(line for line in lines if line.startswith("A bustling neighborhood"))
    assert len(cue) - len(cue.lstrip()) > len(speech) - len(speech.lstrip()) > 0
    assert action


async def test_the_typed_client_reads_the_assembled_story(
    factory: StoryFactory, cli_env: Env
) -> None:
    imported = await factory.run(cli_env, "import", str(COFFEE_SHOP))
    script_id = int(shown(imported, "Script id"))
    credentials = {"Authorization": f"Bearer {factory.token}"}

    async with StoryClient(factory.url, retry=FAST_RETRY) as client:
        story = await client.full_story(script_id, limit=500, credentials=credentials)
        alice = next(c.id for c in story.characters if c.name == "ALICE")
        hers = await client.full_story(
            script_id, limit=500, filter_by_character=alice, credentials=credentials
        )
        with pytest.raises(NotFound):
            await client.full_story(999_999, credentials=credentials)

    assert story.script.title == "The Coffee Shop Connection"
    counts = table_counts(imported)  # characters are listed once, not elements of the story
    assert story.total_count == sum(counts.values()) - counts["character"]
    assert [c.name for c in story.characters] == ["ALICE", "BOB"]
    fade_in, scene = story.elements[:2]
    assert (fade_in.element_type, fade_in.text) == ("action", "FADE IN:")
    assert (scene.element_type, scene.kind) == ("section", "scene")
    assert scene.heading is not None
    assert scene.heading.location == "COFFEE SHOP"
    assert scene.elements is not None
    line = scene.elements[2]
    assert (line.element_type, line.character_name) == ("spokenWord", "ALICE")
    assert line.parenthetical == "muttering to herself"
    spoken = [node for node in _flat(hers.elements) if node.element_type == "spokenWord"]
    assert spoken
    assert {node.character_name for node in spoken} == {"ALICE"}


def _flat(nodes: list[StoryNode]) -> list[StoryNode]:
    return [n for node in nodes for n in [node, *_flat(node.elements or [])]]


async def test_a_bad_file_fails_with_the_services_detail(
    factory: StoryFactory, cli_env: Env, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.fountain"
    bad.write_bytes(b"INT. HOUSE - DAY\n\nBob \xff\xfe walks.\n")

    result = await factory.run(cli_env, "import", str(bad))

    assert result.exit_code == 1
    assert "Error: not a readable fountain file" in result.stderr
    assert "Imported" not in result.stdout


async def test_a_failed_import_names_the_import_and_what_became_of_it(
    factory: StoryFactory, cli_env: Env
) -> None:
    class FailingReorder(ServicePlatform):
        async def reorder(
            self, script_id: int, order: list[tuple[str, int]], *, comment: str
        ) -> None:
            raise UpstreamUnavailable("Central Sequence is unavailable")

    async def failing(
        clients: StoryClientsDep, credentials: ForwardedCredentials
    ) -> ServicePlatform:
        return FailingReorder(clients, credentials)

    app = factory.served.app
    assert isinstance(app, FastAPI)
    app.dependency_overrides[get_platform] = failing
    result = await factory.run(cli_env, "import", str(COFFEE_SHOP))

    assert result.exit_code == 1
    assert "importStatus rolled_back" in result.stderr
    import_id = re.search(r"importId ([0-9a-f]{32})", result.stderr)
    assert import_id is not None, result.stderr
    assert (await factory.import_report(import_id.group(1)))["status"] == "rolled_back"


async def test_without_credentials_the_refusal_says_how_to_sign_in(
    factory: StoryFactory, cli_env: Env
) -> None:
    result = await run_cli(cli_env, "story", "1", "--url", factory.url)

    assert result.exit_code == 1
    assert "Pass an access token with --token" in result.stderr


async def test_an_unreachable_factory_gets_the_hint_to_start_it(cli_env: Env) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    for args in (["import", str(COFFEE_SHOP)], ["export", "1"], ["story", "1"]):
        result = await run_cli(cli_env, *args, "--url", url, "--token", "t")
        assert result.exit_code == 1, args
        assert f"cannot reach the Story Factory at {url} (connection refused)" in result.stderr
        assert "Is `fountain up` running?" in result.stderr


async def test_the_url_comes_from_the_environment(cli_env: Env) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = await run_cli({**cli_env, "FOUNTAIN_STORY_URL": url}, "story", "1", "--token", "t")

    assert result.exit_code == 1
    assert f"cannot reach the Story Factory at {url}" in result.stderr


async def test_export_refuses_to_overwrite_before_calling_anyone(
    cli_env: Env, tmp_path: Path
) -> None:
    target = tmp_path / "existing.fdx"
    target.write_text("keep me")
    url = f"http://127.0.0.1:{free_port()}"

    result = await run_cli(cli_env, "export", "1", "-o", str(target), "--url", url)

    assert result.exit_code == 1
    assert f"{target} exists; pass --force to overwrite it." in result.stderr
    assert target.read_text() == "keep me"
