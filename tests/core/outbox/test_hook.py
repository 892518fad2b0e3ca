"""The lifespan hook: no sink, rows accumulate; a sink later, they drain."""

from __future__ import annotations

from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from fountainai.core import ServiceDefinition, ServiceSettings, create_service_app
from fountainai.core.db import Transactions
from fountainai.core.outbox import OutboxRelay, OutboxSink, OutboxWriter, outbox_relay_hook
from tests.core.outbox.conftest import OUTBOX, RecordingSink, eventually, record


class ProbeSettings(ServiceSettings):
    pass


def probe_app(database_url: str, sink: OutboxSink | None) -> FastAPI:
    hook = outbox_relay_hook(OUTBOX, lambda app, settings: sink, poll_seconds=0.01)
    definition = ServiceDefinition(
        name="probe", title="Probe", description="outbox", routers=list, lifespan_hooks=(hook,)
    )
    return create_service_app(definition, ProbeSettings(database_url=database_url))


async def test_without_a_sink_rows_accumulate_then_drain_once_one_is_configured(
    database_url: str, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    app = probe_app(database_url, None)
    async with LifespanManager(app):
        assert getattr(app.state, "outbox_relay", None) is None
        transaction = Transactions(app.state.sessionmaker, app.state.database_lock)
        async with transaction() as session:
            await OutboxWriter(session, OUTBOX).add("scene", 1, operation="upsert", document={})
        await record(sessionmaker, 2, {"text": "v1"})

    sink = RecordingSink()
    app = probe_app(database_url, sink)
    async with LifespanManager(app):
        relay: OutboxRelay = app.state.outbox_relay
        assert relay.running
        await eventually(lambda: _pending_is(relay, 0))
        await record(sessionmaker, 3, {"text": "v1"})
        await eventually(lambda: _pending_is(relay, 0))
        registry: CollectorRegistry = app.state.metrics_registry
        assert registry.get_sample_value("fountain_outbox_delivered_rows_total") == 3
    assert not relay.running
    assert app.state.outbox_relay is None
    assert sorted(sink.delivered_ids()) == [1, 2, 3]


async def _pending_is(relay: OutboxRelay, rows: int) -> bool:
    return await relay.pending_count() == rows
