"""The 2FA service on SQLite and PostgreSQL, with the KMS replaced by an in-process stand-in.

Every response a test's client receives is recorded; after the test, no one-time code delivered
during it (read from the outbox) may appear in any status line, header or body.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.services.twofa.app import create_app
from fountainai.services.twofa.config import TwofaSettings
from tests.services.twofa.support import FakeKms, MovableClock, User, make_user, outbox_entries
from tests.support.tokens import LocalIssuer


class ResponseRecorder:
    def __init__(self) -> None:
        self.responses: list[str] = []
        self.outboxes: list[Path] = []
        self.other_codes: list[str] = []  # delivered some other way (tests of SMTP delivery)

    async def record(self, response: httpx.Response) -> None:
        body = await response.aread()
        headers = "\n".join(f"{name}: {value}" for name, value in response.headers.multi_items())
        status_line = f"{response.http_version} {response.status_code} {response.reason_phrase}"
        self.responses.append(f"{status_line}\n{headers}\n\n{body.decode('latin-1')}")

    def delivered_codes(self) -> list[str]:
        outboxed = [entry["code"] for path in self.outboxes for entry in outbox_entries(path)]
        return outboxed + self.other_codes

    def leaks(self) -> list[str]:
        found = []
        for code in self.delivered_codes():
            pattern = re.compile(rf"(?<!\d){re.escape(code)}(?!\d)")
            found += [code for text in self.responses if pattern.search(text)]
        return found


@pytest.fixture(autouse=True)
def recorder() -> Iterator[ResponseRecorder]:
    recording = ResponseRecorder()
    yield recording
    assert recording.leaks() == [], "a one-time code appeared in an HTTP response"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> TwofaSettings:
    return TwofaSettings(database_url=database_url, data_dir=tmp_path)


@pytest.fixture
def issuer(settings: TwofaSettings) -> LocalIssuer:
    return LocalIssuer(settings)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def kms(issuer: LocalIssuer) -> FakeKms:
    return FakeKms(issuer)


@pytest.fixture
def outbox(settings: TwofaSettings) -> Path:
    return settings.effective_outbox_path


@pytest.fixture
async def app(
    settings: TwofaSettings,
    issuer: LocalIssuer,
    clock: MovableClock,
    kms: FakeKms,
    recorder: ResponseRecorder,
) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    application.state.authenticator = issuer.authenticator()
    application.state.clock = clock
    application.state.kms = kms
    recorder.outboxes.append(settings.effective_outbox_path)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI, recorder: ResponseRecorder) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://twofa.test",
        event_hooks={"response": [recorder.record]},
    ) as c:
        yield c


@pytest.fixture
def alice(issuer: LocalIssuer) -> User:
    return make_user(issuer, "alice")


@pytest.fixture
def bob(issuer: LocalIssuer) -> User:
    return make_user(issuer, "bob")


@pytest.fixture
def admin(issuer: LocalIssuer) -> User:
    return make_user(issuer, "root", "admin")
