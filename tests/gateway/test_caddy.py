"""deploy/Caddyfile, proven with Debian's caddy: HTTPS on localhost from Caddy's own CA
(`tls internal`) in front of a real gateway; an authenticated request goes through, the gateway
sees the client as Caddy reports it, and plain HTTP is redirected to HTTPS."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import ssl
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from fountainai.core import ServiceSettings
from tests.conftest import unavailable
from tests.gateway.harness import (
    KmsStandIn,
    Upstream,
    free_port,
    gateway_settings,
    served_gateway,
    write_routes,
)
from tests.support.tokens import LocalIssuer

CADDYFILE = Path(__file__).parents[2] / "deploy" / "Caddyfile"
START_SECONDS = 30


@dataclass
class Caddy:
    https_url: str
    http_url: str
    root_ca: Path


def trusting(root_ca: Path) -> ssl.SSLContext:
    """A client TLS context that trusts Caddy's local CA only."""
    return ssl.create_default_context(cafile=str(root_ca))


@asynccontextmanager
async def caddy_in_front_of(gateway_address: str, home: Path) -> AsyncIterator[Caddy]:
    """Debian's caddy running deploy/Caddyfile as it is, configured by its environment."""
    binary = shutil.which("caddy")
    if binary is None:
        unavailable("caddy is not installed (.ci/run installs Debian's package)")
    assert binary is not None
    https_port, http_port = free_port(), free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),  # Caddy's local CA and certificates live here
        "XDG_CONFIG_HOME": str(home / "config"),
        "FOUNTAIN_DOMAIN": "localhost",
        "FOUNTAIN_TLS": "internal",
        "FOUNTAIN_HTTPS_PORT": str(https_port),
        "FOUNTAIN_HTTP_PORT": str(http_port),
        "FOUNTAIN_GATEWAY_ADDRESS": gateway_address,
    }
    log = (home / "caddy.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        binary,
        "run",
        "--config",
        str(CADDYFILE),
        "--adapter",
        "caddyfile",
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    root_ca = home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    caddy = Caddy(f"https://localhost:{https_port}", f"http://localhost:{http_port}", root_ca)
    try:
        await _until_serving(caddy, process, home / "caddy.log")
        yield caddy
    finally:
        if process.returncode is None:
            os.killpg(process.pid, signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 20)
        log.close()


async def _until_serving(caddy: Caddy, process: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.returncode is not None:
            text = await asyncio.to_thread(log.read_text, errors="replace")
            raise AssertionError(f"caddy exited:\n{text[-3000:]}")
        if await asyncio.to_thread(caddy.root_ca.exists):
            try:
                async with httpx.AsyncClient(
                    verify=trusting(caddy.root_ca), trust_env=False
                ) as client:
                    await client.get(f"{caddy.https_url}/health/live")
                    return
            except httpx.TransportError:
                pass
        await asyncio.sleep(0.2)
    raise AssertionError("caddy did not serve HTTPS in time")


@pytest.mark.integration
async def test_an_authenticated_request_through_caddy_https(tmp_path: Path) -> None:
    issuer = LocalIssuer(ServiceSettings(auth_issuer="http://kms.test"))
    async with KmsStandIn(issuer) as kms, Upstream() as upstream:
        routes = write_routes(tmp_path, [{"service": "echo", "targets": [upstream.url]}])
        settings = gateway_settings(kms, routes, hsts=True)
        async with (
            served_gateway(settings) as gateway,
            caddy_in_front_of(f"127.0.0.1:{gateway.port}", tmp_path) as caddy,
            httpx.AsyncClient(
                verify=trusting(caddy.root_ca), trust_env=False, timeout=10
            ) as client,
        ):
            token = issuer.headers("writer", username="ann")
            identity = await client.get(f"{caddy.https_url}/secure-endpoint", headers=token)
            assert identity.status_code == 200, identity.text
            assert identity.json()["username"] == "ann"
            assert identity.headers["strict-transport-security"].startswith("max-age=")

            spoofed = {**token, "X-Forwarded-For": "203.0.113.66"}
            echoed = await client.get(f"{caddy.https_url}/echo/api/v1/x", headers=spoofed)
            assert echoed.status_code == 200
            seen = {name.lower(): value for name, value in echoed.json()["headers"]}
            # Caddy replaced the client's claim with the real client; the gateway appended Caddy.
            assert seen["x-forwarded-for"] == "127.0.0.1, 127.0.0.1"
            assert seen["x-forwarded-proto"] == "https"

            refused = await client.get(f"{caddy.https_url}/secure-endpoint")
            assert refused.status_code == 401
            assert refused.headers["content-type"] == "application/problem+json"

            plain = await client.get(f"{caddy.http_url}/secure-endpoint", headers=token)
            assert plain.status_code in {301, 308}
            assert plain.headers["location"].startswith("https://localhost")
