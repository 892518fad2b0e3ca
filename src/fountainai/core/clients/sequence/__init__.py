"""Typed client of Central Sequence: numbering, reordering and versioning story elements."""

from fountainai.core.clients.sequence.client import SequenceClient
from fountainai.core.clients.sequence.models import (
    BatchAllocation,
    BatchEntry,
    BatchRemoval,
    BlockMove,
    ElementRef,
    Removal,
    RemovedElement,
    ReorderedElement,
    Reordering,
    SequenceEntry,
    SequenceNumber,
    SkippedElement,
    Version,
    VersionSummary,
)
from fountainai.core.clients.sequence.wiring import (
    SequenceDep,
    get_sequence_client,
    sequence_client,
)

__all__ = [
    "BatchAllocation",
    "BatchEntry",
    "BatchRemoval",
    "BlockMove",
    "ElementRef",
    "Removal",
    "RemovedElement",
    "ReorderedElement",
    "Reordering",
    "SequenceClient",
    "SequenceDep",
    "SequenceEntry",
    "SequenceNumber",
    "SkippedElement",
    "Version",
    "VersionSummary",
    "get_sequence_client",
    "sequence_client",
]
