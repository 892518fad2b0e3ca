"""SessionsClient against the real Sessions service, which checks what it links to with the real
Central Sequence (both under uvicorn, both backends; both trust the sequence fixture's
LocalIssuer). Each user sees only their own sessions (admins: everyone's); contexts keep every
change in their history."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.core import (
    NotFound,
    PermissionDenied,
    ServiceSettings,
    UnprocessableEntity,
    UpstreamUnavailable,
)
from fountainai.core.clients import (
    Context,
    ContextChange,
    ForwardedCredentials,
    SequenceClient,
    SessionsClient,
    SessionsDep,
    SessionSort,
    WorkSession,
    sessions_client,
)
from fountainai.core.elements import ElementType
from fountainai.services.sessions.app import create_app
from fountainai.services.sessions.config import SessionsSettings
from tests.core.clients.support import FAST_RETRY, SequenceServer
from tests.support.platform import ServedApp, own_database

ALICE = "11111111-1111-4111-8111-111111111111"
BOB = "22222222-2222-4222-8222-222222222222"
CHARACTER = ElementType.CHARACTER
LIVE_SCRIPTS = (1, 2, 7, 9)


@pytest.fixture
async def sessions_server(
    sequence_server: SequenceServer, database_url: str, tmp_path: Path
) -> AsyncIterator[ServedApp]:
    # Its lifespan hook makes its own Sequence client (to check what sessions link to).
    settings = SessionsSettings(
        database_url=own_database(database_url, tmp_path, "sessions"),
        data_dir=tmp_path,
        sequence_url=sequence_server.url,
        log_level="WARNING",
    )
    app = create_app(settings)
    app.state.authenticator = sequence_server.issuer.authenticator()
    served = ServedApp(app)
    await served.start()
    yield served
    if served.running:
        await served.stop()


@pytest.fixture
async def sessions(sessions_server: ServedApp, story: None) -> AsyncIterator[SessionsClient]:
    async with SessionsClient(sessions_server.url, retry=FAST_RETRY) as client:
        yield client


@pytest.fixture
async def story(sequence: SequenceClient, sequence_server: SequenceServer) -> None:
    """Live story elements (numbered in Central Sequence): scripts 1, 2, 7 and 9; characters 1
    and 5 of script 1. Sessions link only live scripts; contexts are written only for live
    elements."""
    writer = sequence_server.credentials("writer")
    for script_id in LIVE_SCRIPTS:
        await sequence.allocate(ElementType.SCRIPT, script_id, script_id=None, credentials=writer)
    for character_id in (1, 5):
        await sequence.allocate(CHARACTER, character_id, script_id=1, credentials=writer)


def user(server: SequenceServer, role: str, subject: str, name: str) -> dict[str, str]:
    """One user's credentials: every token made for them carries the same subject."""
    token = server.issuer.token(role, username=name, sub=subject)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def alice(sequence_server: SequenceServer) -> dict[str, str]:
    return user(sequence_server, "writer", ALICE, "alice")


@pytest.fixture
def bob(sequence_server: SequenceServer) -> dict[str, str]:
    return user(sequence_server, "writer", BOB, "bob")


@pytest.fixture
def root(sequence_server: SequenceServer) -> dict[str, str]:
    return user(sequence_server, "admin", "33333333-3333-4333-8333-333333333333", "root")


async def test_create_get_and_update_a_session(
    sessions: SessionsClient, alice: dict[str, str]
) -> None:
    context = ["tone: noir", 'says "no", twice', "line\nbreak 🎬"]
    created = await sessions.create_session(
        "Draft", script_id=7, context=context, comment="start", credentials=alice
    )
    found = await sessions.get_session(created.id, credentials=alice)
    assert isinstance(found, WorkSession)
    assert found == created
    assert (found.title, found.script_id, found.context) == ("Draft", 7, context)
    assert (found.owner, found.owner_name) == (ALICE, "alice")
    assert isinstance(found.created_at, datetime)

    renamed = await sessions.update_session(
        created.id, title="Second draft", append_context=["more"], credentials=alice
    )
    assert (renamed.title, renamed.script_id, renamed.context) == (
        "Second draft",
        7,
        [*context, "more"],
    )
    unlinked = await sessions.update_session(created.id, script_id=None, credentials=alice)
    assert (unlinked.title, unlinked.script_id, unlinked.context) == (
        "Second draft",
        None,
        [*context, "more"],
    )
    replaced = await sessions.update_session(
        created.id, script_id=9, context=["only"], append_context=["last"], credentials=alice
    )
    assert (replaced.script_id, replaced.context) == (9, ["only", "last"])
    assert await sessions.get_session(created.id, credentials=alice) == replaced


async def test_list_sessions_is_one_page_with_its_filters(
    sessions: SessionsClient, alice: dict[str, str], bob: dict[str, str], root: dict[str, str]
) -> None:
    zeta = await sessions.create_session("Zeta", script_id=1, context=["a"], credentials=alice)
    alpha = await sessions.create_session("Alpha", script_id=2, context=["a, b"], credentials=alice)
    mid = await sessions.create_session("Mid", script_id=1, credentials=alice)
    bobs = await sessions.create_session("Bob's", script_id=1, context=["a"], credentials=bob)

    page = await sessions.list_sessions(credentials=alice)
    assert (page.total_count, page.limit, page.offset) == (3, 50, 0)
    assert page.items == [zeta, alpha, mid]
    assert all(isinstance(item, WorkSession) for item in page.items)
    second = await sessions.list_sessions(
        sort=SessionSort.TITLE, limit=1, offset=1, credentials=alice
    )
    assert (second.total_count, second.items) == (3, [mid])
    of_one = await sessions.list_sessions(script_id=1, credentials=alice)
    assert of_one.items == [zeta, mid]
    holding = await sessions.list_sessions(context="a", credentials=alice)
    assert holding.items == [zeta]  # a whole item, not a substring of "a, b"

    everyone = await sessions.list_sessions(sort=SessionSort.TITLE_DESC, credentials=root)
    assert everyone.items == [zeta, mid, bobs, alpha]
    assert (await sessions.list_sessions(owner=BOB, credentials=root)).items == [bobs]


async def test_contexts_and_their_history(
    sessions: SessionsClient, alice: dict[str, str], reader: dict[str, str]
) -> None:
    fresh = await sessions.get_context(CHARACTER, 5, credentials=reader)
    assert isinstance(fresh, Context)
    assert (fresh.target_type, fresh.target_id, fresh.values) == (CHARACTER, 5, {})
    assert (fresh.revision, fresh.updated_at) == (0, None)

    first = await sessions.put_context(
        CHARACTER, 5, {"mood": "angry", "traits": {"age": 40}}, comment="intro", credentials=alice
    )
    assert (first.values, first.revision) == ({"mood": "angry", "traits": {"age": 40}}, 1)
    assert isinstance(first.updated_at, datetime)
    second = await sessions.put_context(
        CHARACTER, 5, {"mood": "calm", "traits": None}, credentials=alice
    )
    assert (second.values, second.revision) == ({"mood": "calm"}, 2)
    same = await sessions.put_context(CHARACTER, 5, {"mood": "calm"}, credentials=alice)
    assert same == second
    assert await sessions.get_context(CHARACTER, 5, credentials=reader) == second
    assert (await sessions.get_context(ElementType.ACTION, 5, credentials=reader)).revision == 0

    history = await sessions.context_history(CHARACTER, 5, credentials=reader)
    assert history.total_count == 4
    assert all(isinstance(change, ContextChange) for change in history.items)
    # Newest first; one write's changes in reverse order of their keys as sent.
    assert [(c.revision, c.key, c.old_value, c.new_value) for c in history.items] == [
        (2, "traits", {"age": 40}, None),
        (2, "mood", "angry", "calm"),
        (1, "traits", None, {"age": 40}),
        (1, "mood", None, "angry"),
    ]
    assert [(c.actor, c.comment) for c in history.items] == [("alice", "")] * 2 + [
        ("alice", "intro")
    ] * 2
    moods = await sessions.context_history(CHARACTER, 5, key="mood", credentials=reader)
    assert [(c.old_value, c.new_value) for c in moods.items] == [("angry", "calm"), (None, "angry")]
    page = await sessions.context_history(CHARACTER, 5, limit=1, offset=1, credentials=reader)
    assert (page.total_count, page.limit, page.offset, len(page.items)) == (4, 1, 1, 1)
    assert page.items[0] == history.items[1]


async def test_another_users_session_is_not_found(
    sessions: SessionsClient, alice: dict[str, str], bob: dict[str, str], root: dict[str, str]
) -> None:
    mine = await sessions.create_session("Mine", credentials=alice)
    with pytest.raises(NotFound) as missing:
        await sessions.get_session(mine.id, credentials=bob)
    assert missing.value.status == 404
    with pytest.raises(NotFound):
        await sessions.update_session(mine.id, title="Taken", credentials=bob)
    with pytest.raises(NotFound):
        await sessions.get_session(999, credentials=alice)
    assert await sessions.get_session(mine.id, credentials=root) == mine
    assert await sessions.get_session(mine.id, credentials=alice) == mine


async def test_what_the_callers_role_does_not_allow_is_refused(
    sessions: SessionsClient, alice: dict[str, str], reader: dict[str, str]
) -> None:
    with pytest.raises(PermissionDenied) as denied:
        await sessions.create_session("Nope", credentials=reader)
    assert denied.value.status == 403
    with pytest.raises(PermissionDenied):
        await sessions.put_context(CHARACTER, 1, {"mood": "x"}, credentials=reader)
    with pytest.raises(PermissionDenied, match="only admins"):
        await sessions.list_sessions(owner=ALICE, credentials=reader)

    assert (await sessions.list_sessions(credentials=reader)).total_count == 0
    assert (await sessions.get_context(CHARACTER, 1, credentials=alice)).revision == 0


async def test_refused_input_is_passed_on_naming_the_field(
    sessions: SessionsClient, alice: dict[str, str]
) -> None:
    with pytest.raises(UnprocessableEntity, match=r"Sessions refused the input: body\.title: "):
        await sessions.create_session("", credentials=alice)
    session = await sessions.create_session("Real", context=["x"], credentials=alice)
    with pytest.raises(UnprocessableEntity, match=r"body\.appendContext\.0: "):
        await sessions.update_session(session.id, append_context=["y" * 2001], credentials=alice)
    with pytest.raises(UnprocessableEntity, match=r"body\.values\.bad key"):
        await sessions.put_context(CHARACTER, 1, {"bad key": 1, "ok": 2}, credentials=alice)

    with pytest.raises(UnprocessableEntity, match="scriptId 999 is not a script"):
        await sessions.create_session("Unlinked", script_id=999, credentials=alice)
    with pytest.raises(UnprocessableEntity, match="scriptId 999 is not a script"):
        await sessions.update_session(session.id, script_id=999, credentials=alice)
    with pytest.raises(UnprocessableEntity, match="action 1 is not a story element"):
        await sessions.put_context(ElementType.ACTION, 1, {"ok": 2}, credentials=alice)

    assert (await sessions.list_sessions(credentials=alice)).items == [session]
    assert await sessions.get_session(session.id, credentials=alice) == session
    assert (await sessions.get_context(CHARACTER, 1, credentials=alice)).revision == 0
    assert (await sessions.get_context(ElementType.ACTION, 1, credentials=alice)).revision == 0


async def test_sessions_down_is_unavailable(
    sessions: SessionsClient, sessions_server: ServedApp, alice: dict[str, str]
) -> None:
    await sessions_server.stop()

    with pytest.raises(UpstreamUnavailable) as down:
        await sessions.get_session(1, credentials=alice)
    assert down.value.status == 503
    assert down.value.headers == {"Retry-After": "5"}
    assert "3 attempts" in str(down.value.detail)
    with pytest.raises(UpstreamUnavailable, match="3 attempts"):
        await sessions.put_context(CHARACTER, 1, {"mood": "x"}, credentials=alice)
    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await sessions.create_session("Lost", credentials=alice)
    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await sessions.update_session(1, append_context=["twice?"], credentials=alice)


def story_app(settings: ServiceSettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with sessions_client(app, settings):
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/sessions/{session_id}/title")
    async def title(
        session_id: int, sessions: SessionsDep, credentials: ForwardedCredentials
    ) -> str:
        return (await sessions.get_session(session_id, credentials=credentials)).title

    return app


async def test_hook_serves_endpoints_with_the_callers_credentials(
    sessions_server: ServedApp, sessions: SessionsClient, alice: dict[str, str]
) -> None:
    mine = await sessions.create_session("Wired", credentials=alice)
    app = story_app(ServiceSettings(sessions_url=sessions_server.url))
    async with LifespanManager(app):
        client = app.state.sessions
        assert isinstance(client, SessionsClient)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://story") as http:
            # Only its owner (or an admin) sees a session: a 200 means alice's token went on.
            answer = await http.get(f"/sessions/{mine.id}/title", headers=alice)
    assert (answer.status_code, answer.json()) == (200, "Wired")
    assert app.state.sessions is None
    assert client.http._session is None


def test_sessions_url_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ServiceSettings().sessions_url == "http://127.0.0.1:8007"
    monkeypatch.setenv("FOUNTAIN_SESSIONS_URL", "http://sessions.internal:9007")
    assert ServiceSettings().sessions_url == "http://sessions.internal:9007"
    assert SessionsSettings().sessions_url == "http://sessions.internal:9007"
    monkeypatch.setenv("FOUNTAIN_SESSIONS_URL", "sessions.internal")
    with pytest.raises(ValueError, match="http"):
        ServiceSettings()
