"""Real servers: the service under uvicorn in its own processes, on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

KMS_APP = "fountainai.services.kms.app:create_app"
SEQUENCE_APP = "fountainai.services.sequence.app:create_app"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(base_url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/health/ready", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{base_url} not ready after {timeout}s")


@contextmanager
def running_service(
    app_path: str,
    env: dict[str, str],
    log_path: Path,
    *,
    workers: int = 1,
    port: int | None = None,
) -> Iterator[str]:
    """A service (``module:create_app``) under uvicorn (on a free port unless given); yields its
    base URL and stops it after."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app_path,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--workers",
        str(workers),
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base_url, process)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass(frozen=True)
class Platform:
    """A real KMS and a real Central Sequence that trusts it; ``token`` is an admin's."""

    kms: str
    sequence: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


SEED_ADMIN = {"username": "admin", "password": "secure123"}


def post_json(url: str, body: object, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@contextmanager
def running_platform(
    env: dict[str, str], log_dir: Path, *, sequence_workers: int = 1, bootstrap: bool = True
) -> Iterator[Platform]:
    """The KMS first (its URL is the issuer), then sequence pointed at it; the seed's admin is
    registered and logged in unless ``bootstrap`` is false (then ``token`` is empty)."""
    kms_port = free_port()
    kms_url = f"http://127.0.0.1:{kms_port}"
    # The KMS's URL is the issuer it signs with and the one every service expects.
    trusting = {**env, "FOUNTAIN_KMS_URL": kms_url, "FOUNTAIN_AUTH_ISSUER": kms_url}
    kms_env = {**trusting, "FOUNTAIN_KMS_ARGON2_MEMORY_KIB": "8192"}
    with running_service(KMS_APP, kms_env, log_dir / "kms.log", port=kms_port) as kms:
        token = ""
        if bootstrap:
            post_json(f"{kms}/register", {**SEED_ADMIN, "roles": "admin"})
            token = post_json(f"{kms}/login", SEED_ADMIN)["access_token"]
        with running_service(
            SEQUENCE_APP, trusting, log_dir / "sequence.log", workers=sequence_workers
        ) as sequence:
            yield Platform(kms=kms, sequence=sequence, token=token)


@pytest.fixture
def platform(database_url: str, tmp_path: Path) -> Iterator[Platform]:
    """KMS + sequence (two workers) on one database, migrated up front as a deployment does."""
    env = {
        **os.environ,
        "FOUNTAIN_DATA_DIR": str(tmp_path),
        "FOUNTAIN_SEQUENCE_DATABASE_URL": database_url,
        "FOUNTAIN_SEQUENCE_LOG_LEVEL": "WARNING",
        "FOUNTAIN_KMS_DATABASE_URL": database_url,
        "FOUNTAIN_KMS_LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "-c", _MIGRATE], env=env, check=True, capture_output=True, timeout=60
    )
    env["FOUNTAIN_SEQUENCE_AUTO_MIGRATE"] = "false"
    with running_platform(env, tmp_path, sequence_workers=2) as running:
        yield running


_MIGRATE = """
import asyncio
from fountainai.core.db import create_engine
from fountainai.services.sequence.app import DEFINITION
from fountainai.services.sequence.config import SequenceSettings

async def main() -> None:
    engine = create_engine(SequenceSettings().effective_database_url)
    await DEFINITION.migrations.upgrade(engine)
    await engine.dispose()

asyncio.run(main())
"""
