"""SMTP delivery against a minimal in-test SMTP server: the code goes by mail, never elsewhere."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from fountainai.services.twofa.app import create_app
from fountainai.services.twofa.config import TwofaSettings
from tests.services.twofa.conftest import ResponseRecorder
from tests.services.twofa.support import API, make_user, verify
from tests.support.tokens import LocalIssuer


@dataclass
class SmtpSink:
    """Speaks just enough SMTP (no STARTTLS offered) to accept mail."""

    envelopes: list[list[str]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    async def session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        envelope: list[str] = []
        data: list[bytes] | None = None
        while line := await reader.readline():
            if data is not None:
                if line == b".\r\n":
                    self.messages.append(message_from_bytes(b"".join(data)))
                    self.envelopes.append(envelope)
                    data, envelope = None, []
                    writer.write(b"250 queued\r\n")
                else:
                    data.append(line)
                continue
            command = line.decode().strip()
            verb = command.split(" ")[0].upper()
            if verb == "EHLO":
                writer.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb in {"MAIL", "RCPT"}:
                envelope.append(command)
                writer.write(b"250 ok\r\n")
            elif verb == "DATA":
                data = []
                writer.write(b"354 go on\r\n")
            elif verb == "QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()


@pytest.fixture
async def smtp_sink() -> AsyncIterator[tuple[SmtpSink, int]]:
    sink = SmtpSink()
    server = await asyncio.start_server(sink.session, "127.0.0.1", 0)
    port: int = server.sockets[0].getsockname()[1]
    async with server:
        yield sink, port


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("starttls", [False, True])
async def test_codes_go_out_by_mail(
    database_url: str,
    tmp_path: Path,
    smtp_sink: tuple[SmtpSink, int],
    recorder: ResponseRecorder,
    starttls: bool,
) -> None:
    sink, port = smtp_sink
    settings = TwofaSettings(
        database_url=database_url,
        data_dir=tmp_path,
        delivery="smtp",
        smtp_port=port,
        smtp_host="127.0.0.1",
        smtp_starttls=starttls,
        smtp_sender="2fa@studio.example",
        smtp_recipient_template="{username}@studio.example",
    )
    issuer = LocalIssuer(settings)
    app = create_app(settings)
    app.state.authenticator = issuer.authenticator()
    alice = make_user(issuer, "alice")
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://twofa.test",
            event_hooks={"response": [recorder.record]},
        ) as client:
            response = await client.post(
                f"{API}/auth/generate", json={"username": "alice"}, headers=alice.headers
            )
            if starttls:  # the sink offers no STARTTLS: never fall back to plain text
                assert response.status_code == 503, response.text
                assert sink.messages == []
                return
            assert response.status_code == 202, response.text
            assert response.json()["channel"] == "smtp"
            [mail] = sink.messages
            assert mail["To"] == "alice@studio.example"
            assert mail["From"] == "2fa@studio.example"
            assert sink.envelopes[0][1] == "RCPT TO:<alice@studio.example>"
            match = re.search(r"(?<!\d)(\d{6})(?!\d)", mail.get_payload())  # type: ignore[arg-type]
            assert match is not None
            recorder.other_codes.append(match.group(1))
            assert (await verify(client, alice, match.group(1))).status_code == 200
    assert not settings.effective_outbox_path.exists()


async def test_an_unreachable_mail_server_is_503(
    database_url: str, tmp_path: Path, recorder: ResponseRecorder
) -> None:
    settings = TwofaSettings(
        database_url=database_url,
        data_dir=tmp_path,
        delivery="smtp",
        smtp_host="127.0.0.1",
        smtp_port=unused_port(),
    )
    issuer = LocalIssuer(settings)
    app = create_app(settings)
    app.state.authenticator = issuer.authenticator()
    alice = make_user(issuer, "alice")
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://twofa.test") as client:
            response = await client.post(
                f"{API}/auth/generate", json={"username": "alice"}, headers=alice.headers
            )
    assert response.status_code == 503
    assert response.json()["type"].endswith("/upstream-unavailable")
