"""KMS, 2FA and Central Sequence as real processes, wired as ``fountain up`` wires them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.integration.conftest import (
    KMS_APP,
    SEED_ADMIN,
    SEQUENCE_APP,
    free_port,
    post_json,
    running_service,
)

TWOFA_APP = "fountainai.services.twofa.app:create_app"
API_KEY = re.compile(r"fai_[A-Za-z0-9_-]+")


@dataclass
class TwoFactorPlatform:
    kms: str
    twofa: str
    sequence: str
    outbox: Path
    token: str
    responses: list[httpx.Response] = field(default_factory=list)

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client that keeps every response, so tests can search them for codes."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(
            timeout=30,
            trust_env=False,
            headers=headers,
            event_hooks={"response": [self._keep]},
        )

    def _keep(self, response: httpx.Response) -> None:
        response.read()
        self.responses.append(response)

    def delivered_codes(self) -> list[str]:
        """Every one-time code the 2FA service delivered (its dev outbox file)."""
        if not self.outbox.exists():
            return []
        lines = self.outbox.read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["code"] for line in lines if line.strip()]

    def last_code(self) -> str:
        codes = self.delivered_codes()
        assert codes, "nothing was delivered"
        return codes[-1]


def create_service_key(env: dict[str, str]) -> str:
    """``fountain kms create-service-key twofa --scope mfa:assert``: the real CLI path."""
    command = [sys.executable, "-m", "fountainai.cli", "kms", "create-service-key", "twofa"]
    command += ["--scope", "mfa:assert"]
    done = subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr + done.stdout
    found = API_KEY.search(done.stdout)
    assert found, done.stdout
    return found.group(0)


def two_factor_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """Each service its own database, as deployed: on SQLite its own file (one file shared by
    three processes would make them queue on one write lock); on PostgreSQL its own tables."""
    env = {**os.environ, "FOUNTAIN_DATA_DIR": str(data_dir), **extra}
    for service in ("KMS", "TWOFA", "SEQUENCE"):
        if database_url.startswith("sqlite"):
            database = f"sqlite+aiosqlite:///{data_dir}/{service.lower()}.db"
            env[f"FOUNTAIN_{service}_DATABASE_URL"] = database
        else:
            env[f"FOUNTAIN_{service}_DATABASE_URL"] = database_url
        env[f"FOUNTAIN_{service}_LOG_LEVEL"] = "WARNING"
    return env


def stepped_up(platform: TwoFactorPlatform, token: str, username: str = "admin") -> str:
    """A token with a fresh second factor: a one-time code, read from the outbox, stepped up."""
    with platform.client(token) as http:
        sent = http.post(f"{platform.twofa}/api/v1/auth/generate", json={"username": username})
        assert sent.status_code == 202, sent.text
        answer = http.post(
            f"{platform.twofa}/api/v1/auth/step-up", json={"code": platform.last_code()}
        )
        assert answer.status_code == 200, answer.text
        fresh: str = answer.json()["access_token"]
        return fresh


@contextmanager
def running_two_factor_platform(env: dict[str, str], log_dir: Path) -> Iterator[TwoFactorPlatform]:
    kms_port, twofa_port = free_port(), free_port()
    kms_url, twofa_url = f"http://127.0.0.1:{kms_port}", f"http://127.0.0.1:{twofa_port}"
    shared = {
        **env,
        "FOUNTAIN_KMS_URL": kms_url,
        "FOUNTAIN_AUTH_ISSUER": kms_url,
        "FOUNTAIN_TWOFA_URL": twofa_url,
    }
    kms_env = {**shared, "FOUNTAIN_KMS_ARGON2_MEMORY_KIB": "8192"}
    with running_service(KMS_APP, kms_env, log_dir / "kms.log", port=kms_port) as kms:
        post_json(f"{kms}/register", {**SEED_ADMIN, "roles": "admin"})
        token = post_json(f"{kms}/login", SEED_ADMIN)["access_token"]
        twofa_env = {**shared, "FOUNTAIN_TWOFA_KMS_API_KEY": create_service_key(kms_env)}
        with (
            running_service(TWOFA_APP, twofa_env, log_dir / "twofa.log", port=twofa_port) as twofa,
            running_service(SEQUENCE_APP, shared, log_dir / "sequence.log") as sequence,
        ):
            yield TwoFactorPlatform(
                kms=kms,
                twofa=twofa,
                sequence=sequence,
                outbox=Path(env["FOUNTAIN_DATA_DIR"]) / "twofa-outbox.jsonl",
                token=token,
            )
