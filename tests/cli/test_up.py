from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from fountainai.cli.common import env_prefix
from fountainai.cli.registry import SERVICES
from tests.cli.conftest import Env, free_port, invoke

READY_BOUND_SECONDS = 90.0
STOP_BOUND_SECONDS = 15.0  # `up` waits up to 10 s for a child before SIGKILL


def table_row(output: str, service: str) -> list[str]:
    """The cells of ``service``'s row in the status table."""
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if cells and cells[0] == service:
            return cells
    raise AssertionError(f"no row for {service} in:\n{output}")


def is_listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def can_bind(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def process_exists(pid: int) -> bool:
    """Alive, not a zombie: an orphan's exit is reaped by PID 1, which a container may not do."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return True  # no procfs: trust kill(0)
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for_text(path: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_BOUND_SECONDS
    while time.monotonic() < deadline:
        if text in path.read_text(encoding="utf-8"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.1)
    pytest.fail(f"`fountain up` never printed {text!r}:\n{path.read_text(encoding='utf-8')}")


@dataclass
class RunningUp:
    process: subprocess.Popen[bytes]
    ports: dict[str, int]
    stdout_path: Path
    stderr_path: Path

    def output(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8")

    def errors(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8")


@contextmanager
def fountain_up(tmp_path: Path) -> Iterator[RunningUp]:
    """`fountain up` as a user runs it, each service on a free port, once it says it is ready."""
    ports = {name: free_port() for name in [*SERVICES, "gateway"]}
    env = {key: value for key, value in os.environ.items() if not key.startswith("FOUNTAIN_")}
    env["FOUNTAIN_DATA_DIR"] = str(tmp_path / "data")
    for name, entry in SERVICES.items():
        env[f"{env_prefix(entry)}PORT"] = str(ports[name])
    env["FOUNTAIN_GATEWAY_PORT"] = str(ports["gateway"])
    stdout_path, stderr_path = tmp_path / "up.out", tmp_path / "up.err"
    command = [sys.executable, "-m", "fountainai.cli", "up", "--timeout", "60"]
    with (
        stdout_path.open("wb") as stdout,
        stderr_path.open("wb") as stderr,
        subprocess.Popen(command, cwd=tmp_path, env=env, stdout=stdout, stderr=stderr) as process,
    ):
        running = RunningUp(process, ports, stdout_path, stderr_path)
        try:
            wait_for_text(stdout_path, "Press Ctrl-C to stop", process)
            yield running
        finally:
            if process.poll() is None:  # let it stop its children rather than orphan them
                process.terminate()
                process.wait(timeout=STOP_BOUND_SECONDS)


def assert_story_services_reach_sequence(up: RunningUp, token: str) -> None:
    """Scripts number what they create at Central Sequence's real URL; sessions serve."""
    bearer = {"Authorization": f"Bearer {token}"}
    scripts = f"http://127.0.0.1:{up.ports['scripts']}/api/v1"
    sessions = f"http://127.0.0.1:{up.ports['sessions']}/api/v1"
    with httpx.Client(timeout=30, trust_env=False, headers=bearer) as client:
        script = client.post(f"{scripts}/scripts", json={"title": "Brick & Steel"})
        assert script.status_code == 201, script.text
        script_id = script.json()["id"]
        scene = client.post(
            f"{scripts}/scripts/{script_id}/sections", json={"kind": "scene", "title": "INT. HALL"}
        )
        assert scene.status_code == 201, scene.text
        assert scene.json()["sequenceNumber"] == 2  # the script element itself is first
        session = client.post(f"{sessions}/sessions", json={"title": "Draft", "context": ["a, b"]})
        assert session.status_code == 201, session.text
        assert session.json()["context"] == ["a, b"]


def assert_the_gateway_fronts_every_service(up: RunningUp, token: str) -> None:
    """The seed's check through the gateway, then a login and a story call through it."""
    gateway = f"http://127.0.0.1:{up.ports['gateway']}"
    bearer = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=gateway, timeout=30, trust_env=False) as client:
        identity = client.get("/secure-endpoint", headers=bearer)
        assert identity.status_code == 200, identity.text
        assert identity.json()["username"] == "admin"
        assert identity.json()["roles"] == ["admin"]
        assert client.get("/secure-endpoint").status_code == 401
        admin = {"username": "admin", "password": "secure123"}
        login = client.post("/kms/api/v1/login", json=admin)
        assert login.status_code == 200, login.text
        fresh = {"Authorization": f"Bearer {login.json()['access_token']}"}
        script = client.post("/scripts/api/v1/scripts", json={"title": "Via"}, headers=fresh)
        assert script.status_code == 201, script.text
        assert "ratelimit-policy" in script.headers
        read = client.get(f"/scripts/api/v1/scripts/{script.json()['id']}", headers=fresh)
        assert read.json()["title"] == "Via"
        assert client.get("/kms/api/v1/internal/mfa/users/1").status_code == 404
        services = client.get("/health/services").json()["services"]
        assert set(services) == set(SERVICES)
        assert all(state["healthy"] for state in services.values()), services


def assert_two_factor_is_wired(up: RunningUp, data_dir: Path, token: str) -> None:
    """The README's 2FA flow: the seed's generate call (with its token), the code from the dev
    outbox, a step-up through the KMS (so up gave 2FA its key), then a guarded action."""
    twofa = f"http://127.0.0.1:{up.ports['twofa']}"
    bearer = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=twofa, timeout=30, trust_env=False, headers=bearer) as client:
        sent = client.post("/auth/generate", json={"username": "admin"})
        assert sent.status_code == 202, sent.text
        outbox = (data_dir / "twofa-outbox.jsonl").read_text(encoding="utf-8").splitlines()
        code = json.loads(outbox[-1])["code"]
        assert code not in sent.text
        stepped = client.post("/auth/step-up", json={"code": code})
        assert stepped.status_code == 200, stepped.text
    elevated = {"Authorization": f"Bearer {stepped.json()['access_token']}"}
    sequence = f"http://127.0.0.1:{up.ports['sequence']}"
    purge = f"{sequence}/api/v1/versions/script/1"
    with httpx.Client(timeout=10, trust_env=False) as client:
        assert client.delete(purge, headers=bearer).status_code == 401
        assert client.delete(purge, headers=elevated).status_code == 200


@pytest.mark.integration
def test_up_serves_every_service_until_interrupted(tmp_path: Path) -> None:
    with fountain_up(tmp_path) as up:
        kms = f"http://127.0.0.1:{up.ports['kms']}"
        with httpx.Client(base_url=kms, timeout=30, trust_env=False) as client:
            admin = {"username": "admin", "password": "secure123"}
            assert client.post("/register", json={**admin, "roles": "admin"}).status_code == 201
            token = client.post("/login", json=admin).json()["access_token"]
        url = f"http://127.0.0.1:{up.ports['sequence']}"
        with httpx.Client(base_url=url, timeout=10, trust_env=False) as client:
            anonymous = client.post(
                "/api/v1/sequence", json={"elementType": "script", "elementId": 1}
            )
            assert anonymous.status_code == 401
            seeded = client.post(
                "/api/v1/sequence",
                json={"elementType": "script", "elementId": 1},
                headers={"Authorization": f"Bearer {token}"},
            )
        assert seeded.status_code == 201, seeded.text
        assert seeded.json()["sequenceNumber"] == 1
        assert_two_factor_is_wired(up, tmp_path / "data", token)
        assert_story_services_reach_sequence(up, token)
        assert_the_gateway_fronts_every_service(up, token)

        up.process.send_signal(signal.SIGINT)
        started = time.monotonic()
        returncode = up.process.wait(timeout=STOP_BOUND_SECONDS)
        stop_seconds = time.monotonic() - started

    output = up.output()
    assert returncode == 0, up.errors() + output
    assert stop_seconds < STOP_BOUND_SECONDS
    assert f"Data directory: {tmp_path / 'data'}" in output
    assert "Auth: every API call needs a token from the KMS" in output
    assert f"Gateway: http://127.0.0.1:{up.ports['gateway']}" in output
    for name, port in up.ports.items():
        log = tmp_path / "data" / "logs" / f"{name}.log"
        _, service_url, state, pid, docs = table_row(output, name)
        assert (service_url, state, docs) == (
            f"http://127.0.0.1:{port}",
            "ready",
            f"http://127.0.0.1:{port}/docs",
        )
        assert str(log) in output
        assert "Finished server process" in log.read_text(encoding="utf-8")  # a clean stop
        assert not process_exists(int(pid))
        assert not is_listening(port)
        assert can_bind(port)


@pytest.mark.integration
def test_services_stop_when_up_is_killed_outright(tmp_path: Path) -> None:
    with fountain_up(tmp_path) as up:
        pids = {name: int(table_row(up.output(), name)[3]) for name in up.ports}

        up.process.kill()  # no handler runs: only the lifeline pipe tells the children
        up.process.wait()

        deadline = time.monotonic() + STOP_BOUND_SECONDS
        while any(process_exists(pid) for pid in pids.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
    for name, pid in pids.items():
        assert not process_exists(pid), f"{name} (pid {pid}) outlived `fountain up`"
        assert not is_listening(up.ports[name])
        log = tmp_path / "data" / "logs" / f"{name}.log"
        assert "Finished server process" in log.read_text(encoding="utf-8")  # a graceful stop


@pytest.mark.integration
def test_up_reports_a_service_that_dies_while_starting(cli_env: Env) -> None:
    env = {
        **cli_env,
        "FOUNTAIN_SEQUENCE_PORT": str(free_port()),
        "FOUNTAIN_GATEWAY_PORT": str(free_port()),
        "FOUNTAIN_SEQUENCE_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/nothing",
    }

    result = invoke(["up", "--only", "sequence", "--timeout", "60"], env)

    assert result.exit_code == 1
    assert "sequence exited before it was ready" in result.stderr
    assert "Application startup failed" in result.stderr  # the tail of its log
    assert table_row(result.stdout, "sequence")[2] == "failed"


@pytest.mark.integration
def test_up_gives_up_at_the_timeout_and_stops_what_it_started(cli_env: Env) -> None:
    ports = {f"{env_prefix(entry)}PORT": str(free_port()) for entry in SERVICES.values()}
    ports["FOUNTAIN_GATEWAY_PORT"] = str(free_port())

    result = invoke(["up", "--timeout", "0"], {**cli_env, **ports})

    assert result.exit_code == 1
    assert "sequence was not ready within 0 s" in result.stderr
    _, _, state, pid, _ = table_row(result.stdout, "sequence")
    assert state == "failed"
    assert not process_exists(int(pid))
    assert f"Stopped {len(SERVICES) + 1} service(s)." in result.stdout  # and the gateway


def test_up_refuses_a_port_that_is_already_taken(cli_env: Env) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = invoke(["up"], {**cli_env, "FOUNTAIN_SEQUENCE_PORT": str(port)})

    assert result.exit_code == 1
    assert f"port {port} (sequence) is already in use" in result.stderr
    assert "FOUNTAIN_SEQUENCE_PORT" in result.stderr
