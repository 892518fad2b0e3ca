"""``fountain import`` of several files in one run, against a real Story Factory (with the real
services behind it): each file in turn with its own summary, a table at the end, and exit 1 if
any file failed, after trying the others."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import Result

from tests.cli.conftest import Env, free_port
from tests.cli.test_stories import (
    COFFEE_SHOP,
    FIXTURES,
    StoryFactory,
    factory,
    run_cli,
    servers,
)
from tests.services.story.conftest import (
    characters_server,
    issuer,
    scripts_server,
    sequence_server,
    sessions_server,
    settings,
)

__all__ = [
    "characters_server",
    "factory",
    "issuer",
    "scripts_server",
    "sequence_server",
    "servers",
    "sessions_server",
    "settings",
]

SIMPLE_FDX = FIXTURES / "vilcans-screenplain" / "simple.fdx"


def table_row(result: Result, file: str) -> list[str]:
    """The cells of ``file``'s row in the table of imports."""
    for line in result.stdout.splitlines():
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if cells and cells[0] == file:
            return cells
    raise AssertionError(f"no row for {file} in:\n{result.stdout}")


def imported_scripts(result: Result) -> dict[str, str]:
    """Each summary's file name → the script id it became."""
    found = re.findall(r"^Imported (\S+) \(.*\) as script (\d+) in", result.stdout, re.MULTILINE)
    return dict(found)


async def test_each_file_is_tried_and_the_table_sums_them_up(
    factory: StoryFactory, cli_env: Env, tmp_path: Path
) -> None:
    # The CLI runs in tmp_path: short relative names, as a user would type them.
    shutil.copy(COFFEE_SHOP, tmp_path)
    shutil.copy(SIMPLE_FDX, tmp_path)
    (tmp_path / "bad.fountain").write_bytes(b"INT. HOUSE - DAY\n\nBob \xff\xfe walks.\n")

    result = await factory.run(cli_env, "import", COFFEE_SHOP.name, "bad.fountain", "simple.fdx")

    assert result.exit_code == 1
    scripts = imported_scripts(result)
    assert list(scripts) == [COFFEE_SHOP.name, "simple.fdx"]  # in turn, past the failure
    assert "Imported simple.fdx (fdx," in result.stdout  # each file's own format
    assert result.stdout.count("Elements created") == 2
    for name, script_id in scripts.items():
        _, shown_id, elements, warnings, seconds = table_row(result, name)
        assert shown_id == script_id
        assert int(elements.replace(",", "")) > 0
        assert warnings == "0"
        assert float(seconds) > 0
    assert table_row(result, "bad.fountain")[1:4] == ["failed", "", ""]
    assert "total: 2 of 3 imported" in result.stdout
    assert "Error: bad.fountain: not a readable fountain file" in result.stderr
    assert "Error: 1 of 3 files were not imported:" in result.stderr
    assert re.search(r"^  bad\.fountain: not a readable fountain file", result.stderr, re.M)


async def test_the_format_given_applies_to_every_file(
    factory: StoryFactory, cli_env: Env, tmp_path: Path
) -> None:
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text(f"INT. HOUSE - DAY\n\n{name} waits.\n")

    result = await factory.run(cli_env, "import", "one.txt", "two.txt", "--format", "fountain")

    assert result.exit_code == 0, result.stderr
    assert "Imported one.txt (fountain," in result.stdout
    assert "Imported two.txt (fountain," in result.stdout
    assert len(set(imported_scripts(result).values())) == 2
    assert "total: 2 of 2 imported" in result.stdout
    assert not result.stderr.strip()  # (the finished progress bars leave blank lines)


async def test_a_failure_every_file_would_meet_stops_the_run(
    factory: StoryFactory, cli_env: Env
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    files = [str(COFFEE_SHOP), str(SIMPLE_FDX)]
    unreachable = await run_cli(cli_env, "import", *files, "--url", url, "--token", "t")
    refused = await run_cli(cli_env, "import", *files, "--url", factory.url, "--token", "t")

    for result in (unreachable, refused):
        assert result.exit_code == 1
        assert result.stderr.count(f"Error: {COFFEE_SHOP}:") == 1  # told once, not per file
        assert f"  {SIMPLE_FDX}: not tried" in result.stderr
        assert "total: 0 of 2 imported" in result.stdout
    assert "cannot reach the Story Factory" in unreachable.stderr
    assert "Pass an access token with --token" in refused.stderr
