"""Child service processes for ``fountain up``: start, probe readiness, stop, read their logs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from fountainai.cli import lifeline
from fountainai.cli.lifeline import Lifeline

PROBE_TIMEOUT_SECONDS = 1.0
# Never send a probe of 127.0.0.1 through an HTTP(S)_PROXY from the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Child:
    """One service process; its stdout and stderr go to ``log_path``."""

    name: str
    host: str
    port: int
    url: str
    log_path: Path
    state: str = "starting"
    process: subprocess.Popen[bytes] | None = None
    _log: BinaryIO | None = field(default=None, repr=False)
    _lifeline: Lifeline | None = field(default=None, repr=False)
    _log_start: int = field(default=0, repr=False)

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    @property
    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def start(self, command: list[str], env: dict[str, str]) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = log = self.log_path.open("ab")
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        log.write(f"--- fountain up: starting {self.name} at {stamp} ---\n".encode())
        log.flush()
        self._log_start = log.tell()
        passed: tuple[int, ...] = ()
        if lifeline.SUPPORTED:
            self._lifeline = lifeline.Lifeline()
            passed = (self._lifeline.child_fd,)
            command = [*command, lifeline.OPTION, str(self._lifeline.child_fd)]
        # Own session: a Ctrl-C in the terminal reaches only `fountain up`, which then stops
        # the children in order instead of every process racing to handle the same signal.
        try:
            self.process = subprocess.Popen(  # noqa: S603 -- our own interpreter, fixed args
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                pass_fds=passed,
            )
        finally:
            if self._lifeline is not None:
                self._lifeline.passed()

    def probe(self) -> bool:
        """``GET /health/ready`` answers 200."""
        try:
            with _DIRECT.open(f"{self.url}/health/ready", timeout=PROBE_TIMEOUT_SECONDS) as resp:
                return bool(resp.status == 200)
        except urllib.error.HTTPError as exc:  # 503 while a dependency is down
            exc.close()
            return False
        except (OSError, ValueError):  # refused, reset, timed out: not listening yet
            return False

    def tail(self, lines: int = 20) -> list[str]:
        """The last lines this run of the child wrote."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(self._log_start)
                text = log.read().decode("utf-8", errors="replace")
        except OSError:
            return []
        return text.splitlines()[-lines:]

    def release(self) -> None:
        """Close what the parent holds for this child (once it has exited)."""
        if self._lifeline is not None:
            self._lifeline.cut()
            self._lifeline = None
        if self._log is not None:
            self._log.close()
            self._log = None


def serve_command(name: str, *, host: str, port: int) -> list[str]:
    options = ("--host", host, "--port", str(port))
    return [sys.executable, "-m", "fountainai.cli", "serve", name, *options]


def port_in_use(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # As uvicorn binds: a port in TIME_WAIT from a previous run is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def stop_all(
    children: list[Child], *, grace_seconds: float, hurry: Callable[[], bool] = lambda: False
) -> list[Child]:
    """SIGTERM every running child, wait up to ``grace_seconds`` (or until ``hurry()``), then
    SIGKILL the rest. Returns the children that had to be killed."""
    running = [c for c in children if c.process is not None and c.process.poll() is None]
    for child in running:
        assert child.process is not None
        with suppress(ProcessLookupError):
            child.process.terminate()
    deadline = time.monotonic() + grace_seconds
    while any(c.exit_code is None for c in running) and time.monotonic() < deadline:
        if hurry():
            break
        time.sleep(0.05)
    killed = [c for c in running if c.exit_code is None]
    for child in killed:
        assert child.process is not None
        with suppress(ProcessLookupError):
            child.process.kill()
    for child in running:
        assert child.process is not None
        child.process.wait()
    for child in children:
        child.release()
        if child.state != "failed":
            child.state = "stopped"
    return killed


def child_environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["FOUNTAIN_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"  # log lines reach the file as they happen
    return env
