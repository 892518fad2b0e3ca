"""Typed clients of the FountainAI services that other services call.

Each client is a thin, typed layer over ``fountainai.core.http.ServiceClient`` (pooled aiohttp,
retries where safe). Its models mirror the upstream's JSON, since core imports no service.
Calls carry the end caller's own credential (``forwarded_credentials`` /
``ForwardedCredentials``), so the upstream enforces that caller's roles, and its errors become
the caller's answer: unreachable or 5xx is a 503 with ``Retry-After``; 401, 403, 404, 409 and 422
are passed on with the upstream's ``detail`` only; anything else is a 502.

``sequence``: Central Sequence. Install the ``sequence_client`` lifespan hook (it puts a
``SequenceClient`` for ``settings.sequence_url`` on ``app.state.sequence``) and take it in an
endpoint with ``SequenceDep``::

    @router.post("/spokenWords")
    async def create(sequence: SequenceDep, credentials: ForwardedCredentials, ...) -> ...:
        placed = await sequence.allocate(
            ElementType.SPOKEN_WORD, word.id, script_id=word.script_id, credentials=credentials
        )

``scripts``: the Scripts service (scripts and their sections). The ``scripts_client`` hook puts a
``ScriptsClient`` for ``settings.scripts_url`` on ``app.state.scripts``; take it with
``ScriptsDep`` (``get_script``, ``list_scripts``, ``get_section``, ``sections_of`` — all pages —,
``create_script``, ``create_section``).
"""

from fountainai.core.clients.credentials import (
    API_KEY,
    AUTHORIZATION,
    ForwardedCredentials,
    forwarded_credentials,
    request_credentials,
)
from fountainai.core.clients.scripts import (
    HeadingPrefix,
    SceneHeading,
    Script,
    ScriptsClient,
    ScriptsDep,
    ScriptSort,
    Section,
    SectionKind,
    TitlePageEntry,
    get_scripts_client,
    scripts_client,
)
from fountainai.core.clients.sequence import (
    BatchAllocation,
    BatchEntry,
    BlockMove,
    ElementRef,
    Removal,
    ReorderedElement,
    Reordering,
    SequenceClient,
    SequenceDep,
    SequenceEntry,
    SequenceNumber,
    Version,
    VersionSummary,
    get_sequence_client,
    sequence_client,
)

__all__ = [
    "API_KEY",
    "AUTHORIZATION",
    "BatchAllocation",
    "BatchEntry",
    "BlockMove",
    "ElementRef",
    "ForwardedCredentials",
    "HeadingPrefix",
    "Removal",
    "ReorderedElement",
    "Reordering",
    "SceneHeading",
    "Script",
    "ScriptSort",
    "ScriptsClient",
    "ScriptsDep",
    "Section",
    "SectionKind",
    "SequenceClient",
    "SequenceDep",
    "SequenceEntry",
    "SequenceNumber",
    "TitlePageEntry",
    "Version",
    "VersionSummary",
    "forwarded_credentials",
    "get_scripts_client",
    "get_sequence_client",
    "request_credentials",
    "scripts_client",
    "sequence_client",
]
