"""Real servers around a gateway under test: an upstream that reports what reached it, a KMS
stand-in (JWKS, revocation feed, API-key introspection over HTTP, signing with a real key), and
the gateway itself under uvicorn in the test's event loop."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import yaml
from aiohttp import web

from fountainai.core.auth import public_jwk
from fountainai.gateway.app import create_app
from fountainai.gateway.config import GatewaySettings
from tests.support.fake_server import FakeServer
from tests.support.platform import ServedApp
from tests.support.tokens import LocalIssuer

API_KEY = "fai_robotkey0001_" + "s" * 32


class Upstream(FakeServer):
    """Answers with what it received: method, path, query, headers, body size and digest.
    ``/status/<code>`` answers that status; ``/slow`` waits; ``/stream`` sends chunks;
    ``/cookies`` sets two cookies; ``/health/ready`` is 200 unless ``ready`` is False."""

    client_max_size = 64 * 1024 * 1024

    def __init__(self, name: str = "upstream") -> None:
        self.name = name
        self.seen: list[dict[str, Any]] = []
        self.ready = True
        self.cache_control: str | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == "/health/ready":
            return web.json_response({"status": "ok"}, status=200 if self.ready else 503)
        body = await request.read()
        report = {
            "upstream": self.name,
            "method": request.method,
            "path": request.raw_path,
            "headers": [[name, value] for name, value in request.headers.items()],
            "bodyLength": len(body),
            "bodySha256": hashlib.sha256(body).hexdigest(),
            "count": len(self.seen) + 1,
        }
        self.seen.append(report)
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return web.Response(
                status=code, text=f"upstream says {code}", content_type="text/plain"
            )
        if path == "/slow":
            await asyncio.sleep(float(request.query.get("seconds", "5")))
        if path == "/stream":
            response = web.StreamResponse()
            await response.prepare(request)
            for index in range(5):
                await response.write(f"chunk-{index};".encode())
            await response.write_eof()
            return response
        headers = {"Cache-Control": self.cache_control} if self.cache_control else {}
        response = web.Response(
            body=orjson.dumps(report), content_type="application/json", headers=headers
        )
        if path == "/cookies":
            response.set_cookie("a", "1")
            response.set_cookie("b", "2")
        return response


class KmsStandIn(FakeServer):
    """The KMS's public surface the gateway reads, over real HTTP, for a ``LocalIssuer``."""

    def __init__(self, issuer: LocalIssuer) -> None:
        self.issuer = issuer
        self.revoked_jtis: list[str] = []
        self.api_keys: dict[str, list[str]] = {API_KEY: ["story:read"]}

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.path == "/.well-known/jwks.json":
            return web.json_response(
                {"keys": [public_jwk(self.issuer.key.public_key(), self.issuer.kid)]}
            )
        if request.path == "/api/v1/revocations":
            return web.json_response(
                {
                    "tokenIds": self.revoked_jtis,
                    "keyIds": [],
                    "subjectsNotBefore": {},
                    "generatedAt": int(time.time()),
                }
            )
        if request.path == "/api/v1/keys/introspect":
            key = (await request.json()).get("apiKey", "")
            scopes = self.api_keys.get(key)
            if scopes is None:
                return web.json_response({"active": False})
            return web.json_response(
                {
                    "active": True,
                    "serviceName": "robot",
                    "scopes": scopes,
                    "keyPrefix": key.split("_")[1],
                    "expiresAt": None,
                }
            )
        return web.json_response({"detail": "not here"}, status=404)


async def raw_http(url: str, request: bytes, *, wait_seconds: float = 5.0) -> bytes:
    """Send ``request`` bytes as they are (no client normalising paths or framing) and read
    until the server closes or ``wait_seconds`` pass; the raw answer."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request)
        await writer.drain()
        chunks: list[bytes] = []
        async with asyncio.timeout(wait_seconds):
            while chunk := await reader.read(65536):
                chunks.append(chunk)
        return b"".join(chunks)
    finally:
        writer.close()


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def write_routes(tmp_path: Path, routes: list[dict[str, Any]]) -> str:
    path = tmp_path / "routes.yaml"
    path.write_text(yaml.safe_dump({"routes": routes}), encoding="utf-8")
    return str(path)


def gateway_settings(kms: KmsStandIn, routes_file: str, **overrides: Any) -> GatewaySettings:
    settings: dict[str, Any] = {
        "kms_url": kms.url,
        "auth_issuer": kms.issuer.settings.auth_issuer,
        "auth_audience": kms.issuer.settings.auth_audience,
        "routes_file": routes_file,
        "log_level": "WARNING",
        "health_interval_seconds": 0.2,
        "rate_limit_user": "",
        "rate_limit_key": "",
        "rate_limit_ip": "",
        **overrides,
    }
    return GatewaySettings(**settings)


@asynccontextmanager
async def served_gateway(settings: GatewaySettings) -> AsyncIterator[ServedApp]:
    server = ServedApp(create_app(settings), proxy_headers=False)
    await server.start()
    try:
        yield server
    finally:
        if server.running:
            await server.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@asynccontextmanager
async def gateway_process(
    settings: dict[str, str], *, workers: int = 1, log_path: Path
) -> AsyncIterator[str]:
    """``fountain serve gateway`` in its own process (``workers`` uvicorn workers), configured
    by ``settings`` (FOUNTAIN_* variables); yields its URL once it answers, stops it after."""
    port = free_port()
    env = {**os.environ, "FOUNTAIN_LOG_LEVEL": "WARNING", **settings}
    command = ["-m", "fountainai.cli", "serve", "gateway", "--port", str(port)]
    log = await asyncio.to_thread(log_path.open, "ab")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *command,
        "--workers",
        str(workers),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await _until_ready(url, process, log_path)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
        log.close()


async def _until_ready(url: str, process: asyncio.subprocess.Process, log_path: Path) -> None:
    async with httpx.AsyncClient(base_url=url) as client:
        deadline = time.monotonic() + 60
        while True:
            if process.returncode is not None:
                tail = await asyncio.to_thread(log_path.read_text, errors="replace")
                raise AssertionError(f"the gateway exited:\n{tail[-3000:]}")
            assert time.monotonic() < deadline, "the gateway did not start within 60 s"
            try:
                if (await client.get("/health/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
