"""The processes of bench/gateway: the nginx upstream, the nginx reverse proxy and our gateway under
uvicorn, each in its own process group (stopped, group and all, however the bench ends), pinned
with ``taskset`` when asked, plus readiness polling and RSS sampling of a process tree."""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
HERE = Path(__file__).resolve().parent
NGINX = "/usr/sbin/nginx"
GATEWAY_APP = "fountainai.gateway.app:create_app"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


class BenchFailure(Exception):
    """A server did not start (or a tool is missing): nothing could be measured."""


@dataclass
class Server:
    """A started process (the root of its group) and where it listens."""

    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def pids(self) -> list[int]:
        """The process and all its descendants (nginx workers, uvicorn workers)."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        found, frontier = [self.process.pid], {self.process.pid}
        while frontier:
            frontier = {pid for pid, parent in parents.items() if parent in frontier}
            found.extend(frontier)
        return found

    def rss_mib(self, pids: Sequence[int] | None = None) -> float:
        """Summed over ``pids`` (default: the tree, found afresh: a scan of all of /proc)."""
        return sum(_status_kib(pid, "VmRSS") for pid in pids or self.pids()) / 1024

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-3000:]
        return ""


def _status_kib(pid: int, key: str) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def pinned(command: Sequence[str], cpus: Sequence[int] | None) -> list[str]:
    """``command`` under ``taskset -c <cpus>`` (as is when ``cpus`` is None)."""
    if cpus is None:
        return list(command)
    return ["taskset", "-c", ",".join(map(str, cpus)), *command]


@contextlib.contextmanager
def _process_group(
    name: str,
    command: Sequence[str],
    *,
    base_url: str,
    workdir: Path,
    env: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """``command`` started in a new session; on exit SIGTERM to its group, then SIGKILL."""
    log_path = workdir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(command),
            env=None if env is None else dict(env),
            cwd=workdir,
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield Server(name, process, base_url, log_path)
    finally:
        _stop_group(process)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_TIMEOUT_S)
    # Workers may outlive a master that exited: the group goes, whatever is left of it.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def wait_ready(server: Server, path: str, *, headers: Mapping[str, str] | None = None) -> None:
    """Poll ``GET path`` until it answers 200; a process that exits or a timeout fails."""
    deadline = time.monotonic() + START_TIMEOUT_S
    last_error = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchFailure(
                f"{server.name} exited with status {server.process.returncode}:\n"
                f"{server.log_tail()}"
            )
        request = urllib.request.Request(server.base_url + path, headers=dict(headers or {}))
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:
                if answer.status == 200:
                    return
                last_error = f"status {answer.status}"
        except urllib.error.HTTPError as exc:
            last_error = f"status {exc.code}"
        except OSError as exc:
            last_error = type(exc).__name__
        time.sleep(0.1)
    raise BenchFailure(f"{server.name} not ready after {START_TIMEOUT_S:.0f} s ({last_error})")


def _nginx_config(template: str, workdir: Path, **values: str) -> Path:
    """The template from this folder, placeholders filled, written into ``workdir``."""
    text = (HERE / template).read_text(encoding="utf-8")
    # nginx run by root drops its workers to 'nobody', who cannot read the temp dir.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    for name, value in {"USER": user, "DIR": str(workdir), **values}.items():
        text = text.replace(f"@{name}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise BenchFailure(f"{template}: unfilled placeholders {leftover}")
    path = workdir / template
    path.write_text(text, encoding="utf-8")
    return path


def _nginx_command(config: Path, workdir: Path, cpus: Sequence[int] | None) -> list[str]:
    if not Path(NGINX).exists():
        raise BenchFailure(f"{NGINX} not found (Debian: apt-get install nginx-light)")
    error_log = workdir / f"{config.stem}-startup-error.log"
    return pinned([NGINX, "-p", str(workdir), "-e", str(error_log), "-c", str(config)], cpus)


@contextlib.contextmanager
def nginx_upstream(
    workdir: Path, *, echo_body: bytes, cpus: Sequence[int] | None
) -> Iterator[Server]:
    """The shared upstream: the echo JSON, the JWKS and revocation files written beforehand."""
    port = free_port()
    (workdir / "upstream-temp").mkdir(exist_ok=True)
    echo = echo_body.decode()
    if "'" in echo or "\\" in echo or "$" in echo:
        raise BenchFailure("the echo body must not need escaping in nginx's return string")
    config = _nginx_config("upstream.conf", workdir, PORT=str(port), ECHO=echo)
    command = _nginx_command(config, workdir, cpus)
    with _process_group(
        "upstream", command, base_url=f"http://{HOST}:{port}", workdir=workdir
    ) as s:
        wait_ready(s, "/health/ready")
        yield s


@contextlib.contextmanager
def nginx_proxy(
    workdir: Path, *, upstream: Server, workers: int, cpus: Sequence[int] | None
) -> Iterator[Server]:
    """nginx as a reverse proxy of ``upstream`` at ``/bench/``, ``workers`` worker processes."""
    port = free_port()
    (workdir / "proxy-temp").mkdir(exist_ok=True)
    upstream_port = upstream.base_url.rsplit(":", 1)[1]
    config = _nginx_config(
        "proxy.conf", workdir, PORT=str(port), UPSTREAM_PORT=upstream_port, WORKERS=str(workers)
    )
    command = _nginx_command(config, workdir, cpus)
    with _process_group("nginx", command, base_url=f"http://{HOST}:{port}", workdir=workdir) as s:
        wait_ready(s, "/bench/health/ready")
        yield s


def gateway_env(workdir: Path, *, upstream: Server, issuer: str, audience: str) -> dict[str, str]:
    """This environment plus every gateway feature on: the route table, Redis (db 15) for the
    rate limits, JWKS and revocations from the upstream, quotas too large to refuse anything."""
    level = "WARNING"
    return {
        **os.environ,
        "FOUNTAIN_DATA_DIR": str(workdir),
        "FOUNTAIN_GATEWAY_ROUTES_FILE": str(workdir / "routes.yaml"),
        "FOUNTAIN_GATEWAY_REDIS_URL": "redis://127.0.0.1:6379/15",
        "FOUNTAIN_KMS_URL": upstream.base_url,
        "FOUNTAIN_AUTH_ISSUER": issuer,
        "FOUNTAIN_AUTH_AUDIENCE": audience,
        "FOUNTAIN_GATEWAY_RATE_LIMIT_USER": "10000000/60",
        "FOUNTAIN_GATEWAY_RATE_LIMIT_IP": "10000000/60",
        # log_level has no shared alias: the gateway reads it with its own prefix.
        "FOUNTAIN_LOG_LEVEL": level,
        "FOUNTAIN_GATEWAY_LOG_LEVEL": level,
    }


@contextlib.contextmanager
def fountain_gateway(
    workdir: Path, *, env: Mapping[str, str], workers: int, cpus: Sequence[int] | None
) -> Iterator[Server]:
    """Our gateway under uvicorn (uvloop, httptools, no access log), ready at /health/live."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", GATEWAY_APP, "--factory", "--host", HOST]
    command += ["--port", str(port), "--workers", str(workers), "--loop", "uvloop"]
    command += ["--http", "httptools", "--no-access-log", "--log-level", "warning"]
    command += ["--no-proxy-headers"]  # as `fountain serve gateway`: it reads them itself
    command = pinned(command, cpus)
    base_url = f"http://{HOST}:{port}"
    with _process_group("gateway", command, base_url=base_url, workdir=workdir, env=env) as s:
        wait_ready(s, "/health/live")
        yield s


def require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        raise BenchFailure(f"missing tools: {', '.join(missing)} (Debian: apt-get install wrk)")


class RssSampler:
    """The peak of the summed RSS of ``server``'s process tree, sampled on a thread while the
    ``with`` block runs. The tree is found once (scanning /proc takes ~15 ms of this process's
    time, which would show up as the load generator's lateness); the servers keep their
    processes for the whole run."""

    def __init__(self, server: Server, every_s: float = 0.1) -> None:
        self.server = server
        self.every_s = every_s
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._pids: list[int] = []
        self._thread = threading.Thread(target=self._run, name=f"rss-{server.name}", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mib = max(self.peak_mib, self.server.rss_mib(self._pids))
            self._stop.wait(self.every_s)

    def __enter__(self) -> RssSampler:
        self._pids = self.server.pids()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mib = max(self.peak_mib, self.server.rss_mib())
