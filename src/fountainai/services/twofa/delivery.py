"""The delivery port: how a one-time code reaches its user, never through the HTTP answer.

``outbox`` (development) appends a JSON line to a 0600 file and logs that it did (without the
code); ``smtp`` mails it (aiosmtplib, STARTTLS by default).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol

import aiosmtplib
import orjson

from fountainai.core import UpstreamUnavailable
from fountainai.core.logging import get_logger
from fountainai.services.twofa.config import TwofaSettings

Channel = Literal["outbox", "smtp"]
SMTP_TIMEOUT_SECONDS = 10.0

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class CodeMessage:
    user_id: str
    username: str
    code: str
    expires_at: datetime


class Delivery(Protocol):
    channel: Channel

    async def deliver(self, message: CodeMessage) -> None:
        """Send the code, or raise ``UpstreamUnavailable``."""


class OutboxDelivery:
    """Development: one JSON line per code in a file only its owner can read."""

    channel: Channel = "outbox"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = asyncio.Lock()

    async def deliver(self, message: CodeMessage) -> None:
        line = orjson.dumps(
            {
                "userId": message.user_id,
                "username": message.username,
                "code": message.code,
                "expiresAt": message.expires_at.isoformat(),
            }
        )
        async with self._lock:
            await asyncio.to_thread(self._append, line + b"\n")
        log.info("one_time_code_written", outbox=str(self.path), username=message.username)

    def _append(self, line: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)  # also if the file existed with laxer rights
            os.write(fd, line)
        finally:
            os.close(fd)


class SmtpDelivery:
    """Production: a short mail to ``smtp_recipient_template`` filled with the username."""

    channel: Channel = "smtp"

    def __init__(self, settings: TwofaSettings) -> None:
        self._settings = settings

    def recipient(self, username: str) -> str:
        return self._settings.smtp_recipient_template.replace("{username}", username)

    async def deliver(self, message: CodeMessage) -> None:
        settings = self._settings
        mail = EmailMessage()
        mail["From"] = settings.smtp_sender
        mail["To"] = self.recipient(message.username)
        mail["Subject"] = f"Your {settings.totp_issuer} sign-in code"
        until = message.expires_at.strftime("%H:%M:%S UTC")
        mail.set_content(f"Your code is {message.code}. It is valid until {until}.\n")
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        try:
            await aiosmtplib.send(
                mail,
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username or None,
                password=password if settings.smtp_username else None,
                start_tls=settings.smtp_starttls,
                timeout=SMTP_TIMEOUT_SECONDS,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            log.warning("one_time_code_not_sent", error=type(exc).__name__, host=settings.smtp_host)
            raise UpstreamUnavailable("The code could not be sent; retry later.") from None
        log.info("one_time_code_mailed", username=message.username)


def delivery_for(settings: TwofaSettings) -> Delivery:
    if settings.delivery == "smtp":
        return SmtpDelivery(settings)
    return OutboxDelivery(settings.effective_outbox_path)
