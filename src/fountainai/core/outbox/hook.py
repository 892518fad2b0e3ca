"""Running a relay for the life of a service app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Table

from fountainai.core.app import LifespanHook
from fountainai.core.config import ServiceSettings
from fountainai.core.logging import get_logger
from fountainai.core.outbox.events import OutboxSink
from fountainai.core.outbox.metrics import OutboxMetrics
from fountainai.core.outbox.relay import OutboxRelay

SinkFactory = Callable[[FastAPI, ServiceSettings], OutboxSink | None]


def no_search_yet(app: FastAPI, settings: ServiceSettings) -> OutboxSink | None:
    """The sink factory while there is no search service: outbox rows wait, to drain later."""
    return None


"""Builds the sink from the app (e.g. a search client an earlier hook put on ``app.state``);
``None`` while there is nowhere to deliver to."""

log = get_logger("fountainai.outbox")


def outbox_relay_hook(
    table: Table, sink_factory: SinkFactory, **relay_options: Any
) -> LifespanHook:
    """A lifespan hook running an :class:`OutboxRelay` on ``app.state.outbox_relay``.

    Without a sink the relay does not start: rows accumulate and drain once one is configured.
    ``relay_options`` go to :class:`OutboxRelay` (``batch_size``, ``poll_seconds``, ...).
    """

    @asynccontextmanager
    async def run_relay(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
        sink = sink_factory(app, settings)
        if sink is None:
            log.info("outbox_relay_disabled", table=table.name, reason="no sink configured")
            yield
            return
        relay = OutboxRelay(
            app.state.sessionmaker,
            table,
            sink,
            lock=app.state.database_lock,
            metrics=OutboxMetrics(app.state.metrics_registry),
            **relay_options,
        )
        app.state.outbox_relay = relay
        relay.start()
        try:
            yield
        finally:
            await relay.stop()
            app.state.outbox_relay = None

    return run_relay
