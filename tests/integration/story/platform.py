"""The story services as deployed: each its own uvicorn process on 127.0.0.1, trusting a real KMS.

``running_story_platform`` starts the KMS, Central Sequence and the story services named by
``StoryService`` entries all at once, each on a port chosen up front and told where the others
are (``FOUNTAIN_<NAME>_URL``; the KMS's URL is the issuer), then has the seed's admin create the
accounts the tests act as. Each service has its own database: on SQLite its own file, on
PostgreSQL its own tables in the one shared database. A ``ServiceProcess`` can be stopped and
started again on the same port and database, where the others expect it.

Adding a service is one ``StoryService`` entry (Characters is one); nothing else here changes.
A token with a fresh second factor (``stepped_up``) comes from the real KMS the way the 2FA
service gets one: an ``mfa:assert`` key made by ``fountain kms create-service-key``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import httpx

from tests.integration.conftest import (
    KMS_APP,
    SEED_ADMIN,
    SEQUENCE_APP,
    free_port,
    post_json,
    running_service,
)
from tests.integration.two_factor import create_service_key

PASSWORD: Final = "story-Integration-1"


@dataclass(frozen=True)
class StoryService:
    """A service to run: its env prefix names its settings (``FOUNTAIN_<PREFIX>_...``)."""

    name: str
    app: str
    env_prefix: str


SEQUENCE: Final = StoryService("sequence", SEQUENCE_APP, "SEQUENCE")
SCRIPTS: Final = StoryService("scripts", "fountainai.services.scripts.app:create_app", "SCRIPTS")
SESSIONS: Final = StoryService(
    "sessions", "fountainai.services.sessions.app:create_app", "SESSIONS"
)
CHARACTERS: Final = StoryService(
    "characters", "fountainai.services.characters.app:create_app", "CHARACTERS"
)
KMS: Final = StoryService("kms", KMS_APP, "KMS")

# Who the tests act as: username -> roles (the seed's admin is the KMS's bootstrap account).
ACCOUNTS: Final[Mapping[str, str]] = {
    "writer": "writer",
    "other-writer": "writer",
    "reader": "reader",
}


class ServiceProcess:
    """One service under uvicorn on a fixed port; ``stop`` and ``start`` it again at will."""

    def __init__(
        self, service: StoryService, env: Mapping[str, str], log_dir: Path, *, url: str
    ) -> None:
        self.service = service
        self.env = dict(env)
        self.log_dir = log_dir
        self.url = url
        self.port = int(url.rsplit(":", 1)[1])
        self.starts = 0
        self._running: ExitStack | None = None

    def start(self) -> None:
        """Start it and wait until it is ready (a log per start: ``<name>-<n>.log``)."""
        assert self._running is None, f"{self.service.name} is already running"
        self.starts += 1
        log = self.log_dir / f"{self.service.name}-{self.starts}.log"
        with ExitStack() as stack:
            stack.enter_context(running_service(self.service.app, self.env, log, port=self.port))
            self._running = stack.pop_all()

    def stop(self) -> None:
        running, self._running = self._running, None
        if running is not None:
            running.close()

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """Down for the block, then up again on the same port and database."""
        self.stop()
        try:
            yield
        finally:
            self.start()


def start_all(processes: Sequence[ServiceProcess]) -> None:
    """Start them concurrently (starting is the slow part); all or none end up running."""
    with ThreadPoolExecutor(max_workers=len(processes)) as pool:
        outcomes = [pool.submit(process.start) for process in processes]
    failures = [error for outcome in outcomes if (error := outcome.exception()) is not None]
    if failures:
        for process in processes:
            process.stop()
        raise failures[0]


def service_env(
    database_url: str, data_dir: Path, services: Sequence[StoryService], **extra: str
) -> dict[str, str]:
    """Each service its own database: on SQLite its own file, on PostgreSQL its own tables."""
    env = {**os.environ, "FOUNTAIN_DATA_DIR": str(data_dir), **extra}
    for service in services:
        prefix = f"FOUNTAIN_{service.env_prefix}"
        if database_url.startswith("sqlite"):
            env[f"{prefix}_DATABASE_URL"] = f"sqlite+aiosqlite:///{data_dir}/{service.name}.db"
        else:
            env[f"{prefix}_DATABASE_URL"] = database_url
        env[f"{prefix}_LOG_LEVEL"] = "WARNING"
    return env


@dataclass
class StoryPlatform:
    """The running platform: the KMS's URL, every service's process, a token per account."""

    kms: str
    processes: dict[str, ServiceProcess]
    tokens: dict[str, str] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    _mfa_key: str = ""

    def url(self, service: str) -> str:
        return self.processes[service].url

    @property
    def sequence(self) -> ServiceProcess:
        return self.processes[SEQUENCE.name]

    def http(self, account: str, *, token: str | None = None) -> httpx.Client:
        """A client acting as ``account`` (``admin`` or one of ``ACCOUNTS``), with its login's
        token unless given another of its tokens."""
        headers = {"Authorization": f"Bearer {token or self.tokens[account]}"}
        return httpx.Client(timeout=30, trust_env=False, headers=headers)

    def stepped_up(self, account: str) -> str:
        """A fresh token of ``account`` with ``otp`` in ``amr`` (good for 5 minutes of
        second-factor-only writes): the KMS steps its token up for an ``mfa:assert`` key, as it
        does for the 2FA service once that has checked a code. The key is made once (a CLI run)."""
        if not self._mfa_key:
            self._mfa_key = create_service_key(self.processes[KMS.name].env)
        body = {"subjectToken": self.tokens[account], "method": "otp"}
        headers = {"X-API-Key": self._mfa_key}
        stepped = post_json(f"{self.kms}/api/v1/internal/mfa/step-up", body, headers)
        assert "otp" in stepped["amr"], stepped
        token: str = stepped["access_token"]
        return token


def _accounts(kms: str) -> tuple[dict[str, str], dict[str, str]]:
    """Bootstrap the seed's admin, let it create ``ACCOUNTS``; every account's token and id."""
    post_json(f"{kms}/register", {**SEED_ADMIN, "roles": "admin"})
    admin = post_json(f"{kms}/login", SEED_ADMIN)["access_token"]
    tokens, subjects = {"admin": admin}, {}
    for username, roles in ACCOUNTS.items():
        body = {"username": username, "password": PASSWORD, "roles": roles}
        user = post_json(f"{kms}/register", body, {"Authorization": f"Bearer {admin}"})
        subjects[username] = user["id"]
        login = {"username": username, "password": PASSWORD}
        tokens[username] = post_json(f"{kms}/login", login)["access_token"]
    return tokens, subjects


@contextmanager
def running_story_platform(
    database_url: str, data_dir: Path, services: Sequence[StoryService]
) -> Iterator[StoryPlatform]:
    """The KMS, Central Sequence and ``services``, started together and stopped after."""
    everything = [KMS, SEQUENCE, *services]
    urls = {service.name: f"http://127.0.0.1:{free_port()}" for service in everything}
    # Every service learns where the others are, as `fountain up` tells them; the KMS's URL is
    # also the issuer its tokens carry.
    where = {f"FOUNTAIN_{s.env_prefix}_URL": urls[s.name] for s in everything}
    env = service_env(
        database_url,
        data_dir,
        everything,
        **where,
        FOUNTAIN_AUTH_ISSUER=urls[KMS.name],
        FOUNTAIN_KMS_ARGON2_MEMORY_KIB="8192",
    )
    processes = {
        service.name: ServiceProcess(service, env, data_dir, url=urls[service.name])
        for service in everything
    }
    # All at once: the services fetch keys from the KMS only when the first request needs them.
    start_all(list(processes.values()))
    try:
        tokens, subjects = _accounts(urls[KMS.name])
        yield StoryPlatform(urls[KMS.name], processes, tokens, subjects)
    finally:
        for process in processes.values():
            process.stop()
