"""The gateway as it is deployed: real processes sharing the real Redis. With 4 worker
processes, 1,000 concurrent requests against a limit of 100 admit exactly 100; a target killed
and restarted is taken out of rotation (fast 503s) and brought back by the health checks."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import httpx
import pytest

from fountainai.core import ServiceSettings
from tests.gateway.conftest import REDIS_URL
from tests.gateway.harness import (
    KmsStandIn,
    Upstream,
    free_port,
    gateway_process,
    write_routes,
)
from tests.support.tokens import LocalIssuer

UPSTREAM_APP = "tests.gateway.upstream_app:create_app"


@pytest.fixture
async def kms() -> AsyncIterator[KmsStandIn]:
    issuer = LocalIssuer(ServiceSettings(auth_issuer="http://kms.test"))
    async with KmsStandIn(issuer) as stand_in:
        yield stand_in


def process_settings(kms: KmsStandIn, routes: str, **extra: str) -> dict[str, str]:
    return {
        "FOUNTAIN_KMS_URL": kms.url,
        "FOUNTAIN_AUTH_ISSUER": kms.issuer.settings.auth_issuer,
        "FOUNTAIN_AUTH_AUDIENCE": kms.issuer.settings.auth_audience,
        "FOUNTAIN_GATEWAY_ROUTES_FILE": routes,
        "FOUNTAIN_GATEWAY_RATE_LIMIT_USER": "",
        "FOUNTAIN_GATEWAY_RATE_LIMIT_KEY": "",
        "FOUNTAIN_GATEWAY_RATE_LIMIT_IP": "",
        **extra,
    }


async def test_four_processes_sharing_redis_admit_exactly_the_limit(
    redis: object, kms: KmsStandIn, tmp_path: Path
) -> None:
    async with Upstream() as upstream:
        service = f"burst-{uuid.uuid4().hex[:8]}"
        routes = write_routes(
            tmp_path,
            [
                {
                    "service": service,
                    "targets": [upstream.url],
                    "access": [{"path": "/*", "public": True}],
                    "rate_limits": [{"name": "burst", "by": "ip", "limit": 100, "window": 600}],
                }
            ],
        )
        settings = process_settings(kms, routes, FOUNTAIN_GATEWAY_REDIS_URL=REDIS_URL)
        async with gateway_process(settings, workers=4, log_path=tmp_path / "gw.log") as url:
            connector = aiohttp.TCPConnector(limit=0, force_close=True)
            async with aiohttp.ClientSession(connector=connector) as client:

                async def one() -> int:
                    async with client.get(f"{url}/{service}/x") as response:
                        await response.read()
                        return response.status

                statuses = Counter(await asyncio.gather(*(one() for _ in range(1000))))
    assert statuses == Counter({200: 100, 429: 900})
    assert len(upstream.seen) == 100


class UpstreamProcess:
    """``tests/gateway/upstream_app.py`` under uvicorn in its own process: killable, and
    restartable on the same port."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            UPSTREAM_APP,
            "--factory",
            "--port",
            str(self.port),
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: ASYNC220 -- a quick fork, no waiting
                [*command, "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT
            )
        async with httpx.AsyncClient() as client:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if (await client.get(f"{self.url}/health/ready")).status_code == 200:
                        return
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        raise AssertionError("the upstream did not start")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()


async def test_a_killed_target_trips_its_breaker_and_comes_back_when_restarted(
    kms: KmsStandIn, tmp_path: Path
) -> None:
    upstream = UpstreamProcess(tmp_path / "upstream.log")
    await upstream.start()
    routes = write_routes(
        tmp_path,
        [
            {
                "service": "echo",
                "targets": [upstream.url],
                "retries": 0,
                "access": [{"path": "/*", "public": True}],
            }
        ],
    )
    settings = process_settings(
        kms,
        routes,
        FOUNTAIN_GATEWAY_BREAKER_FAILURES="3",
        FOUNTAIN_GATEWAY_BREAKER_OPEN_SECONDS="30",
        FOUNTAIN_GATEWAY_HEALTH_INTERVAL_SECONDS="0.3",
    )
    try:
        async with (
            gateway_process(settings, log_path=tmp_path / "gw.log") as url,
            httpx.AsyncClient(base_url=url, timeout=10) as client,
        ):
            assert (await client.get("/echo/echo")).status_code == 200
            upstream.kill()
            statuses = [(await client.get("/echo/echo")).status_code for _ in range(6)]
            assert set(statuses) == {503}
            state = (await client.get("/health/services")).json()["services"]["echo"]
            assert state["healthy"] is False
            assert state["targets"][0]["breaker"] in {"open", "half-open"}
            metrics = (await client.get("/metrics")).text
            assert "gateway_circuit_breaker_state" in metrics

            await upstream.start()  # same port; the active checks must bring it back
            deadline = time.monotonic() + 15
            status = 503
            while status != 200 and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                status = (await client.get("/echo/echo")).status_code
            assert status == 200
            state = (await client.get("/health/services")).json()["services"]["echo"]
            assert state["targets"][0]["breaker"] == "closed"
    finally:
        if upstream.process is not None and upstream.process.poll() is None:
            upstream.kill()
