"""Every screenplay fixture through `fountain up`: imported by the real CLI in one run, exported
as Fountain and imported again to the same story, and one script exported as FDX and shown."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from fountainai.core.schemas import MAX_PAGE_SIZE
from fountainai.fountain import parse_bytes, read_fdx
from tests.cli.test_up import RunningUp, fountain_up
from tests.services.story.support import STORY, comparable, import_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "screenplays"
COFFEE_SHOP = FIXTURES / "MasonEgger-fountain-py" / "coffee_shop.fountain"
CLI_TIMEOUT_SECONDS = 300
ROUND_TRIPS_AT_ONCE = 4
PAGE = MAX_PAGE_SIZE


def screenplay_files() -> list[Path]:
    return sorted(path for path in FIXTURES.rglob("*") if path.suffix in (".fountain", ".fdx"))


def admin_token(up: RunningUp) -> str:
    kms = f"http://127.0.0.1:{up.ports['kms']}"
    with httpx.Client(base_url=kms, timeout=30, trust_env=False) as client:
        admin = {"username": "admin", "password": "secure123"}
        assert client.post("/register", json={**admin, "roles": "admin"}).status_code == 201
        token: str = client.post("/login", json=admin).json()["access_token"]
        return token


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str


async def run_cli(env: dict[str, str], cwd: Path, *args: str) -> CliRun:
    """``fountain <args>`` as a user runs it: its own process, its own environment."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "fountainai.cli",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), CLI_TIMEOUT_SECONDS)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return CliRun(process.returncode, stdout.decode(), stderr.decode())


async def read_back(client: httpx.AsyncClient, script_id: int) -> dict[str, Any]:
    """The story as two imports of one screenplay share it: no ids, no numbers. (One pass over
    the pages: each read fans out to every service, and a pass per part would double them.)"""
    pages: list[dict[str, Any]] = []
    while not pages or len(pages) * PAGE < pages[0]["totalCount"]:
        params = {"scriptId": script_id, "offset": len(pages) * PAGE, "limit": PAGE}
        answer = await client.get(STORY, params=params)
        assert answer.status_code == 200, answer.text
        pages.append(answer.json())
    first = pages[0]
    return {
        "title": first["script"]["title"],
        "author": first["script"]["author"],
        "characters": [
            (character["name"], character["aliases"]) for character in first["characters"]
        ],
        "elements": comparable(flat([node for page in pages for node in page["elements"]])),
    }


def flat(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reading order, sections before what they nest; a section continued from the page
    before is there already."""
    found: list[dict[str, Any]] = []
    for node in nodes:
        if not node.get("continued"):
            found.append(node)
        found.extend(flat(node.get("elements") or []))
    return found


async def export_and_reimport(url: str, token: str, scripts: dict[str, int]) -> list[str]:
    """Each script exported as Fountain and that file imported again: the names of the files
    whose two stories differ (with the first difference). A few at a time."""
    headers = {"Authorization": f"Bearer {token}"}
    limit = asyncio.Semaphore(ROUND_TRIPS_AT_ONCE)

    async def round_trip(client: httpx.AsyncClient, name: str, script_id: int) -> str:
        async with limit:
            fountain = {"format": "fountain"}
            exported = await client.get(f"{STORY}/{script_id}/export", params=fountain)
            assert exported.status_code == 200, f"{name}: {exported.text}"
            again = await import_text(
                client, exported.content, filename=f"{Path(name).stem}.fountain"
            )
            assert again.status_code == 201, f"{name}: {again.text}"
            original, copy = await asyncio.gather(
                read_back(client, script_id), read_back(client, again.json()["scriptId"])
            )
        return "" if original == copy else f"{name}: {first_difference(original, copy)}"

    async with httpx.AsyncClient(
        base_url=url, headers=headers, timeout=60, trust_env=False
    ) as client:
        found = await asyncio.gather(
            *(round_trip(client, name, script_id) for name, script_id in scripts.items())
        )
    return [difference for difference in found if difference]


def first_difference(original: dict[str, Any], copy: dict[str, Any]) -> str:
    for part in ("title", "author", "characters"):
        if original[part] != copy[part]:
            return f"{part}: {original[part]!r} != {copy[part]!r}"
    pairs = zip(original["elements"], copy["elements"], strict=False)
    for index, (before, after) in enumerate(pairs):
        if before != after:
            return f"element {index}: {before!r} != {after!r}"
    return f"{len(original['elements'])} elements != {len(copy['elements'])}"


async def gathered(
    exporting: Awaitable[CliRun], showing: Awaitable[CliRun], round_trips: Awaitable[list[str]]
) -> tuple[CliRun, CliRun, list[str]]:
    """The CLI's export and story run while the round trips do (each CLI start takes seconds)."""
    return await asyncio.gather(exporting, showing, round_trips)


@pytest.mark.integration
def test_every_fixture_imports_through_up_and_exports_back(tmp_path: Path) -> None:
    files = screenplay_files()
    assert {path.suffix for path in files} == {".fountain", ".fdx"}
    fdx = tmp_path / "coffee.fdx"
    with fountain_up(tmp_path) as up:
        token = admin_token(up)
        story_url = f"http://127.0.0.1:{up.ports['story']}"
        env = {key: value for key, value in os.environ.items() if not key.startswith("FOUNTAIN_")}
        env.update(FOUNTAIN_TOKEN=token, FOUNTAIN_STORY_URL=story_url, no_proxy="*", NO_PROXY="*")

        imported = asyncio.run(run_cli(env, tmp_path, "import", *map(str, files)))

        assert imported.returncode == 0, imported.stderr + imported.stdout
        found = re.findall(r"^Imported (\S+) \(.*\) as script (\d+) in", imported.stdout, re.M)
        assert [name for name, _ in found] == [path.name for path in files]
        assert len({script_id for _, script_id in found}) == len(files)
        assert f"total: {len(files)} of {len(files)} imported" in imported.stdout
        names = [str(path.relative_to(FIXTURES)) for path in files]
        scripts = {name: int(script_id) for name, (_, script_id) in zip(names, found, strict=True)}

        coffee = str(scripts[str(COFFEE_SHOP.relative_to(FIXTURES))])
        exported, shown, differing = asyncio.run(
            gathered(
                run_cli(env, tmp_path, "export", coffee, "--format", "fdx", "-o", str(fdx)),
                run_cli(env, tmp_path, "story", coffee),
                export_and_reimport(story_url, token, scripts),
            )
        )

    assert exported.returncode == 0, exported.stderr
    assert f"Exported script {coffee} as fdx to {fdx}" in exported.stdout
    written = parse_bytes(COFFEE_SHOP.read_bytes())
    assert len(read_fdx(fdx.read_bytes()).elements) == len(written.elements)
    assert shown.returncode == 0, shown.stderr
    assert "The Coffee Shop Connection" in shown.stdout.splitlines()[0]
    assert "INT. COFFEE SHOP - DAY" in shown.stdout.splitlines()
    assert differing == []  # each export imports back to the same story
