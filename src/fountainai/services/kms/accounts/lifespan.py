"""What the accounts part of the KMS builds at start-up: the password hasher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from fountainai.core import ServiceSettings
from fountainai.services.kms.accounts.passwords import Passwords
from fountainai.services.kms.config import KmsSettings


@asynccontextmanager
async def account_resources(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    assert isinstance(settings, KmsSettings)
    app.state.passwords = await Passwords.create(settings)
    yield
