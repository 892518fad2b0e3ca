"""The sequence service as deployed: uvicorn, two worker processes, one database."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess

import aiohttp
import pytest

pytestmark = pytest.mark.integration


def test_the_seed_curl_works(sequence_server: str) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    result = subprocess.run(
        [
            curl,
            "-s",
            "-X",
            "POST",
            f"{sequence_server}/api/v1/sequence",
            "-H",
            "content-type: application/json",
            "-d",
            '{"elementType":"script","elementId":1}',
        ],
        capture_output=True,
        check=True,
        timeout=10,
    )
    assert json.loads(result.stdout) == {
        "sequenceNumber": 1,
        "elementType": "script",
        "elementId": 1,
        "scriptId": 1,
        "comment": "",
    }


async def test_fifty_clients_across_two_processes_get_exactly_one_to_n(
    sequence_server: str,
) -> None:
    url = f"{sequence_server}/api/v1/sequence"
    async with aiohttp.ClientSession() as http:

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
    sequence_server: str,
) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{sequence_server}/health/live") as live:
            assert live.status == 200
            assert live.headers["X-Request-ID"]
        async with http.get(f"{sequence_server}/metrics") as metrics:
            assert "process_resident_memory_bytes" in await metrics.text()
