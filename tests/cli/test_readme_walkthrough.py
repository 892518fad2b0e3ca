"""The README's tiny-scene walkthrough, run as written (only the ports differ) against
`fountain up`: it must create the scene and print it in reading order."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from fountainai.cli.registry import SERVICES
from tests.cli.test_up import fountain_up

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"<!-- walkthrough:start -->\n```bash\n(.*?)```\n<!-- walkthrough:end -->", re.S)
EXPECTED_ORDER = """\
1 script 1
2 section 1
3 character 1
4 character 2
5 action 1
6 spokenWord 1
7 spokenWord 2
8 transition 1
"""


def walkthrough(ports: dict[str, int]) -> str:
    """The README's block with each service's default port replaced by where it really runs."""
    match = BLOCK.search(README.read_text(encoding="utf-8"))
    assert match, "README.md has no walkthrough block"
    script = match.group(1)
    for name, entry in SERVICES.items():
        default = f"http://localhost:{entry.settings_class.default_port}/"
        script = script.replace(default, f"http://127.0.0.1:{ports[name]}/")
    assert "localhost:" not in script, "the walkthrough calls a service up does not run"
    return script


def test_the_readme_promises_the_order_it_prints() -> None:
    readme = README.read_text(encoding="utf-8")
    printed = "".join(f"    {line}\n" for line in EXPECTED_ORDER.splitlines())
    assert printed in readme


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("curl") is None, reason="the walkthrough uses curl")
def test_readme_walkthrough_prints_the_scene_in_reading_order(tmp_path: Path) -> None:
    with fountain_up(tmp_path) as up:
        kms = f"http://127.0.0.1:{up.ports['kms']}"
        with httpx.Client(base_url=kms, timeout=30, trust_env=False) as client:
            admin = {"username": "admin", "password": "secure123"}
            assert client.post("/register", json={**admin, "roles": "admin"}).status_code == 201
            token = client.post("/login", json=admin).json()["access_token"]
        env = {**os.environ, "TOKEN": token, "no_proxy": "*", "NO_PROXY": "*"}
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", walkthrough(up.ports)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr + done.stdout
    # The new action, the two lines, the transition and the session; then Ann's context.
    ids = "1\n1\n2\n1\n1\n{'mood': 'wary'}\n"
    assert done.stdout == ids + EXPECTED_ORDER, done.stdout
