"""Real servers: the service under uvicorn in its own processes, on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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


@pytest.fixture
def sequence_server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The sequence service under uvicorn with two worker processes sharing one database."""
    port = free_port()
    env = {
        **os.environ,
        "FOUNTAIN_DATA_DIR": str(tmp_path),
        "FOUNTAIN_SEQUENCE_DATABASE_URL": database_url,
        "FOUNTAIN_SEQUENCE_LOG_LEVEL": "WARNING",
    }
    # Migrate once up front, as a deployment does, so the workers don't race at start-up.
    subprocess.run(
        [sys.executable, "-c", _MIGRATE], env=env, check=True, capture_output=True, timeout=60
    )
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "fountainai.services.sequence.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env={**env, "FOUNTAIN_SEQUENCE_AUTO_MIGRATE": "false"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
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
        log.close()


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
