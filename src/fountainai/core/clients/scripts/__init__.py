"""Typed client of the Scripts service: scripts and their act / sequence / scene sections."""

from fountainai.core.clients.scripts.client import ScriptsClient
from fountainai.core.clients.scripts.models import (
    HeadingPrefix,
    SceneHeading,
    Script,
    ScriptSort,
    Section,
    SectionKind,
    TitlePageEntry,
)
from fountainai.core.clients.scripts.wiring import (
    ScriptsDep,
    get_scripts_client,
    scripts_client,
)

__all__ = [
    "HeadingPrefix",
    "SceneHeading",
    "Script",
    "ScriptSort",
    "ScriptsClient",
    "ScriptsDep",
    "Section",
    "SectionKind",
    "TitlePageEntry",
    "get_scripts_client",
    "scripts_client",
]
