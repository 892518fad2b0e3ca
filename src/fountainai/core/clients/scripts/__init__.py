"""Typed client of the Scripts service: scripts, their act / sequence / scene sections,
transitions and markup, and batches of them."""

from fountainai.core.clients.scripts.client import ScriptsClient
from fountainai.core.clients.scripts.models import (
    BatchCreated,
    BatchMarkupItem,
    BatchSectionItem,
    BatchTransitionItem,
    HeadingPrefix,
    Markup,
    MarkupKind,
    SceneHeading,
    Script,
    ScriptsBatchItem,
    ScriptsBatchResult,
    ScriptSort,
    Section,
    SectionKind,
    TitlePageEntry,
    Transition,
)
from fountainai.core.clients.scripts.wiring import (
    ScriptsDep,
    get_scripts_client,
    scripts_client,
)

__all__ = [
    "BatchCreated",
    "BatchMarkupItem",
    "BatchSectionItem",
    "BatchTransitionItem",
    "HeadingPrefix",
    "Markup",
    "MarkupKind",
    "SceneHeading",
    "Script",
    "ScriptSort",
    "ScriptsBatchItem",
    "ScriptsBatchResult",
    "ScriptsClient",
    "ScriptsDep",
    "Section",
    "SectionKind",
    "TitlePageEntry",
    "Transition",
    "get_scripts_client",
    "scripts_client",
]
