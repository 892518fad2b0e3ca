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

``scripts``: the Scripts service (scripts, their sections, transitions and markup). The
``scripts_client`` hook puts a ``ScriptsClient`` for ``settings.scripts_url`` on
``app.state.scripts``; take it with ``ScriptsDep`` (``get_script``, ``list_scripts``,
``get_section``, ``sections_of``, ``transitions_of``, ``markup_of`` — all pages —,
``create_script`` (maybe ``importing``), ``finish_import``, ``delete_script``, ``create_section``,
``create_elements`` — a batch of sections, transitions and markup).

``characters``: the Characters service. The ``characters_client`` hook puts a ``CharactersClient``
for ``settings.characters_url`` on ``app.state.characters``; take it with ``CharactersDep``
(``get_character``, ``characters_of``, ``get_action``, ``actions``, ``get_line``, ``lines`` — the
listings walk all pages —, ``create_character``, ``create_action``, ``create_line``, the batches
``create_characters``, ``create_actions``, ``create_lines``, and ``discard_script_elements`` for
an unfinished import).

``sessions``: the Sessions service. The ``sessions_client`` hook puts a ``SessionsClient`` for
``settings.sessions_url`` on ``app.state.sessions``; take it with ``SessionsDep``
(``create_session``, ``get_session``, ``list_sessions`` — one page —, ``update_session``;
``get_context``, ``put_context``, ``context_history``).

``story``: the Story Factory, for callers outside the services (the CLI): ``StoryClient``
(``import_story`` — the raw file as the body —, ``get_import``, ``export``, ``full_story``).
"""

from fountainai.core.clients.characters import (
    Action,
    ActionBatchItem,
    Character,
    CharacterBatchItem,
    CharactersClient,
    CharactersDep,
    DiscardCounts,
    Line,
    LineBatchItem,
    characters_client,
    get_characters_client,
)
from fountainai.core.clients.credentials import (
    API_KEY,
    AUTHORIZATION,
    ForwardedCredentials,
    forwarded_credentials,
    request_credentials,
)
from fountainai.core.clients.scripts import (
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
    ScriptsClient,
    ScriptsDep,
    ScriptSort,
    Section,
    SectionKind,
    TitlePageEntry,
    Transition,
    get_scripts_client,
    scripts_client,
)
from fountainai.core.clients.sequence import (
    BatchAllocation,
    BatchEntry,
    BatchRemoval,
    BlockMove,
    ElementRef,
    Removal,
    RemovedElement,
    ReorderedElement,
    Reordering,
    SequenceClient,
    SequenceDep,
    SequenceEntry,
    SequenceNumber,
    SkippedElement,
    Version,
    VersionSummary,
    get_sequence_client,
    sequence_client,
)
from fountainai.core.clients.sessions import (
    Context,
    ContextChange,
    SessionsClient,
    SessionsDep,
    SessionSort,
    WorkSession,
    get_sessions_client,
    sessions_client,
)
from fountainai.core.clients.story import (
    FullStory,
    ImportNotice,
    ImportReport,
    StoryCharacter,
    StoryClient,
    StoryFormat,
    StoryNode,
    StoryScript,
)

__all__ = [
    "API_KEY",
    "AUTHORIZATION",
    "Action",
    "ActionBatchItem",
    "BatchAllocation",
    "BatchCreated",
    "BatchEntry",
    "BatchMarkupItem",
    "BatchRemoval",
    "BatchSectionItem",
    "BatchTransitionItem",
    "BlockMove",
    "Character",
    "CharacterBatchItem",
    "CharactersClient",
    "CharactersDep",
    "Context",
    "ContextChange",
    "DiscardCounts",
    "ElementRef",
    "ForwardedCredentials",
    "FullStory",
    "HeadingPrefix",
    "ImportNotice",
    "ImportReport",
    "Line",
    "LineBatchItem",
    "Markup",
    "MarkupKind",
    "Removal",
    "RemovedElement",
    "ReorderedElement",
    "Reordering",
    "SceneHeading",
    "Script",
    "ScriptSort",
    "ScriptsBatchItem",
    "ScriptsBatchResult",
    "ScriptsClient",
    "ScriptsDep",
    "Section",
    "SectionKind",
    "SequenceClient",
    "SequenceDep",
    "SequenceEntry",
    "SequenceNumber",
    "SessionSort",
    "SessionsClient",
    "SessionsDep",
    "SkippedElement",
    "StoryCharacter",
    "StoryClient",
    "StoryFormat",
    "StoryNode",
    "StoryScript",
    "TitlePageEntry",
    "Transition",
    "Version",
    "VersionSummary",
    "WorkSession",
    "characters_client",
    "forwarded_credentials",
    "get_characters_client",
    "get_scripts_client",
    "get_sequence_client",
    "get_sessions_client",
    "request_credentials",
    "scripts_client",
    "sequence_client",
    "sessions_client",
]
