"""What 2FA builds at start-up: master key, clock, delivery port and KMS client.

Anything already on ``app.state`` (tests preset a clock, a delivery or a KMS stand-in) is kept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from fountainai.core import ServiceSettings
from fountainai.core.crypto import load_master_key
from fountainai.core.http import ServiceClient
from fountainai.services.twofa.clock import Clock
from fountainai.services.twofa.config import TwofaSettings
from fountainai.services.twofa.delivery import delivery_for
from fountainai.services.twofa.kms_client import HttpKmsClient

MASTER_KEY_FILE = "twofa-master.key"


@asynccontextmanager
async def twofa_resources(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    assert isinstance(settings, TwofaSettings)
    state = app.state
    if getattr(state, "master_key", None) is None:
        state.master_key = load_master_key(
            settings.master_key.get_secret_value(),
            data_dir=settings.data_dir,
            file_name=MASTER_KEY_FILE,
            setting="FOUNTAIN_TWOFA_MASTER_KEY",
        )
    if getattr(state, "clock", None) is None:
        state.clock = Clock()
    if getattr(state, "delivery", None) is None:
        state.delivery = delivery_for(settings)
    async with AsyncExitStack() as stack:
        if getattr(state, "kms", None) is None:
            client = await stack.enter_async_context(ServiceClient(settings.kms_url, name="kms"))
            state.kms = HttpKmsClient(client, api_key=settings.kms_api_key.get_secret_value())
            stack.callback(setattr, state, "kms", None)
        yield
