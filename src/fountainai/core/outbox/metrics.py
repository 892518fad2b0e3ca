"""Prometheus figures of a relay, on the app's own registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class OutboxMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.delivered = Counter(
            "fountain_outbox_delivered_rows",
            "Outbox rows delivered to search.",
            registry=registry,
        )
        self.failures = Counter(
            "fountain_outbox_delivery_failures",
            "Batches the search sink refused or failed on (retried with backoff).",
            registry=registry,
        )
        self.pending = Gauge(
            "fountain_outbox_pending_rows",
            "Outbox rows not yet delivered, as of the relay's last idle pass.",
            registry=registry,
        )
