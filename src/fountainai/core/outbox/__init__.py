"""Transactional outbox for search indexing (DESIGN §3).

A service declares ``<service>_outbox`` on its metadata with :func:`outbox_table` (its Alembic
autogenerate then creates it) and, in the transaction that changes an element, records the
change with :class:`OutboxWriter` — the change and its row commit or roll back together.
:func:`outbox_relay_hook` runs an :class:`OutboxRelay` for the app's life: it claims due rows
oldest first (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the serialised writer on SQLite),
collapses a document's rows to the newest, hands one :class:`OutboxEvent` per document to an
:class:`OutboxSink` (idempotent upserts/deletes by type-qualified id, ``spokenWord:123``), marks
them delivered or retries them with exponential backoff, and prunes old delivered rows. With no
sink configured the relay does not run and rows wait, to drain later.
"""

from fountainai.core.outbox.events import OutboxEvent, OutboxSink
from fountainai.core.outbox.hook import SinkFactory, no_search_yet, outbox_relay_hook
from fountainai.core.outbox.metrics import OutboxMetrics
from fountainai.core.outbox.relay import RETENTION, OutboxRelay, retry_delay
from fountainai.core.outbox.table import OutboxOperation, outbox_table
from fountainai.core.outbox.writer import OutboxWriter, document_id

__all__ = [
    "RETENTION",
    "OutboxEvent",
    "OutboxMetrics",
    "OutboxOperation",
    "OutboxRelay",
    "OutboxSink",
    "OutboxWriter",
    "SinkFactory",
    "document_id",
    "no_search_yet",
    "outbox_relay_hook",
    "outbox_table",
    "retry_delay",
]
