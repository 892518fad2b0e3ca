"""Real servers: the service under uvicorn in its own processes, on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


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
def running_sequence_service(
    env: dict[str, str], log_path: Path, *, workers: int = 1
) -> Iterator[str]:
    """The sequence service under uvicorn on a free port; yields its base URL, stops it after."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "fountainai.services.sequence.app:create_app",
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


@pytest.fixture
def sequence_server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Two worker processes sharing one database, migrated once up front as a deployment does."""
    env = {
        **os.environ,
        "FOUNTAIN_DATA_DIR": str(tmp_path),
        "FOUNTAIN_SEQUENCE_DATABASE_URL": database_url,
        "FOUNTAIN_SEQUENCE_LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "-c", _MIGRATE], env=env, check=True, capture_output=True, timeout=60
    )
    env["FOUNTAIN_SEQUENCE_AUTO_MIGRATE"] = "false"
    with running_sequence_service(env, tmp_path / "server.log", workers=2) as base_url:
        yield base_url


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
