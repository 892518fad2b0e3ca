"""The platform as deployed: the KMS and the sequence service (two workers) under uvicorn."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.integration.conftest import Platform, running_platform

pytestmark = pytest.mark.integration


def curl(*args: str) -> Any:
    executable = shutil.which("curl")
    if executable is None:
        pytest.skip("curl is not installed")
    result = subprocess.run(
        [executable, "-s", "--fail-with-body", *args], capture_output=True, check=True, timeout=30
    )
    return json.loads(result.stdout)


def test_the_seed_curls_work_end_to_end(database_url: str, tmp_path: Path) -> None:
    """README's flow: bootstrap the admin at the KMS, log in, sequence a script with the token."""
    env = {**os.environ, "FOUNTAIN_DATA_DIR": str(tmp_path)}
    env |= {
        "FOUNTAIN_KMS_DATABASE_URL": database_url,
        "FOUNTAIN_SEQUENCE_DATABASE_URL": database_url,
    }
    with running_platform(env, tmp_path, bootstrap=False) as platform:
        json_body = ("-H", "content-type: application/json", "-d")
        registered = curl(
            "-X",
            "POST",
            f"{platform.kms}/register",
            *json_body,
            '{"username":"admin","password":"secure123","roles":"admin"}',
        )
        assert registered["roles"] == ["admin"]
        tokens = curl(
            "-X",
            "POST",
            f"{platform.kms}/login",
            *json_body,
            '{"username":"admin","password":"secure123"}',
        )
        assert tokens["token_type"] == "Bearer"
        sequenced = curl(
            "-X", "POST", f"{platform.sequence}/api/v1/sequence",
            "-H", f"Authorization: Bearer {tokens['access_token']}", *json_body,
            '{"elementType":"script","elementId":1}',
        )  # fmt: skip
    assert sequenced == {
        "sequenceNumber": 1,
        "elementType": "script",
        "elementId": 1,
        "scriptId": 1,
        "comment": "",
    }


async def test_fifty_clients_across_two_processes_get_exactly_one_to_n(
    platform: Platform,
) -> None:
    url = f"{platform.sequence}/api/v1/sequence"
    async with aiohttp.ClientSession(headers=platform.auth) as http:

        async def allocate(element_id: int) -> int:
            body = {"elementType": "spokenWord", "elementId": element_id, "scriptId": 9}
            async with http.post(url, json=body) as response:
                assert response.status == 201, await response.text()
                number: int = (await response.json())["sequenceNumber"]
                return number

        numbers = await asyncio.gather(*(allocate(i) for i in range(1, 51)))
        assert sorted(numbers) == list(range(1, 51))
        async with http.get(url, params={"scriptId": 9, "limit": 100}) as response:
            listing = await response.json()
        assert listing["totalCount"] == 50
        assert [item["sequenceNumber"] for item in listing["items"]] == list(range(1, 51))


async def test_every_answer_carries_a_request_id_and_metrics_are_served(
    platform: Platform,
) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{platform.sequence}/health/live") as live:
            assert live.status == 200
            assert live.headers["X-Request-ID"]
        async with http.get(f"{platform.sequence}/metrics") as metrics:
            assert "process_resident_memory_bytes" in await metrics.text()
