"""ScriptsClient against the real Scripts service and the real Central Sequence (uvicorn, both
backends); both apps trust the sequence fixture's LocalIssuer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.core import (
    NotFound,
    PermissionDenied,
    ServiceSettings,
    Unauthorized,
    UnprocessableEntity,
    UpstreamUnavailable,
)
from fountainai.core.clients import (
    ForwardedCredentials,
    HeadingPrefix,
    SceneHeading,
    Script,
    ScriptsClient,
    ScriptsDep,
    ScriptSort,
    Section,
    SectionKind,
    TitlePageEntry,
    scripts_client,
)
from fountainai.services.scripts.config import ScriptsSettings
from tests.support.platform import ServedApp

ACT, SCENE = SectionKind.ACT, SectionKind.SCENE


async def test_create_get_and_list_scripts(
    scripts: ScriptsClient, writer: dict[str, str], reader: dict[str, str]
) -> None:
    title_page = [TitlePageEntry(key="Author", value="A"), TitlePageEntry(key="Author", value="B")]
    created = await scripts.create_script(
        "Brick", author="Ann", description="noir", title_page=title_page, credentials=writer
    )
    await scripts.create_script("Alpha", author="ann", credentials=writer)
    await scripts.create_script("Zebra", author="Bob", credentials=writer)

    found = await scripts.get_script(created.id, credentials=reader)
    assert isinstance(found, Script)
    assert found == created
    assert (found.title, found.author, found.description) == ("Brick", "Ann", "noir")
    assert found.title_page == title_page
    assert isinstance(found.sequence_number, int)
    assert isinstance(found.created_at, datetime)

    by_ann = await scripts.list_scripts(author="ANN", sort=ScriptSort.TITLE, credentials=reader)
    assert (by_ann.total_count, [s.title for s in by_ann.items]) == (2, ["Alpha", "Brick"])
    titled = await scripts.list_scripts(title="ebr", credentials=reader)
    assert [s.title for s in titled.items] == ["Zebra"]
    second = await scripts.list_scripts(
        sort=ScriptSort.TITLE_DESC, limit=1, offset=1, credentials=reader
    )
    assert (second.total_count, second.limit, second.offset) == (3, 1, 1)
    assert [s.title for s in second.items] == ["Brick"]


async def test_create_and_get_sections(
    scripts: ScriptsClient, writer: dict[str, str], reader: dict[str, str]
) -> None:
    script = await scripts.create_script("Heist", credentials=writer)
    act = await scripts.create_section(script.id, ACT, title="One", credentials=writer)
    heading = SceneHeading(
        prefix=HeadingPrefix.INT, location="KITCHEN", time_of_day="NIGHT", scene_number="12"
    )
    scene = await scripts.create_section(
        script.id, SCENE, parent_id=act.id, heading=heading, credentials=writer
    )

    found = await scripts.get_section(scene.id, credentials=reader)
    assert isinstance(found, Section)
    assert found == scene
    assert (found.script_id, found.parent_id, found.kind) == (script.id, act.id, SCENE)
    assert found.heading == heading
    assert found.heading is not None
    assert found.heading.prefix is HeadingPrefix.INT
    assert (act.heading, act.parent_id, act.title) == (None, None, "One")
    assert isinstance(found.sequence_number, int)
    assert act.sequence_number is not None
    assert found.sequence_number > act.sequence_number


async def test_sections_of_walks_every_page(
    scripts: ScriptsClient, writer: dict[str, str], reader: dict[str, str]
) -> None:
    script = await scripts.create_script("Long", credentials=writer)
    act = await scripts.create_section(script.id, ACT, credentials=writer)
    created = [act] + [
        await scripts.create_section(
            script.id, SCENE, title=f"s{i}", parent_id=act.id, credentials=writer
        )
        for i in range(4)
    ]
    inserted = await scripts.create_section(
        script.id, SCENE, title="first", position=1, credentials=writer
    )

    every = await scripts.sections_of(script.id, page_size=2, credentials=reader)
    assert [s.id for s in every] == [inserted.id] + [s.id for s in created]
    assert every == await scripts.sections_of(script.id, credentials=reader)
    scenes = await scripts.sections_of(script.id, kind=SCENE, page_size=2, credentials=reader)
    assert [s.title for s in scenes] == ["first", "s0", "s1", "s2", "s3"]
    under_act = await scripts.sections_of(
        script.id, parent_id=act.id, page_size=3, credentials=reader
    )
    assert [s.title for s in under_act] == ["s0", "s1", "s2", "s3"]
    empty = await scripts.create_script("Empty", credentials=writer)
    assert await scripts.sections_of(empty.id, credentials=reader) == []


async def test_missing_script_or_section_is_not_found(
    scripts: ScriptsClient, reader: dict[str, str]
) -> None:
    with pytest.raises(NotFound) as missing:
        await scripts.get_script(999, credentials=reader)
    assert missing.value.status == 404
    with pytest.raises(NotFound):
        await scripts.get_section(999, credentials=reader)
    with pytest.raises(NotFound):
        await scripts.sections_of(999, credentials=reader)


async def test_the_callers_credentials_are_what_counts(
    scripts: ScriptsClient, writer: dict[str, str], reader: dict[str, str]
) -> None:
    with pytest.raises(PermissionDenied) as denied:
        await scripts.create_script("Nope", credentials=reader)
    assert denied.value.status == 403
    script = await scripts.create_script("Mine", credentials=writer)
    with pytest.raises(PermissionDenied):
        await scripts.create_section(script.id, ACT, credentials=reader)
    with pytest.raises(Unauthorized) as anonymous:
        await scripts.get_script(script.id, credentials={})
    assert anonymous.value.headers["WWW-Authenticate"].startswith("Bearer")

    assert await scripts.list_scripts(credentials=reader) == await scripts.list_scripts(
        credentials=writer
    )
    assert (await scripts.list_scripts(credentials=reader)).total_count == 1
    assert await scripts.sections_of(script.id, credentials=reader) == []


async def test_refused_input_is_passed_on_with_its_fields(
    scripts: ScriptsClient, writer: dict[str, str]
) -> None:
    with pytest.raises(UnprocessableEntity, match=r"Scripts refused the input: body\.title: "):
        await scripts.create_script("", credentials=writer)
    script = await scripts.create_script("Real", credentials=writer)
    with pytest.raises(UnprocessableEntity):
        await scripts.create_section(script.id, SCENE, position=5, credentials=writer)
    assert await scripts.sections_of(script.id, credentials=writer) == []
    assert (await scripts.list_scripts(credentials=writer)).total_count == 1


async def test_scripts_down_is_unavailable(
    scripts: ScriptsClient, scripts_server: ServedApp, reader: dict[str, str]
) -> None:
    await scripts_server.stop()

    with pytest.raises(UpstreamUnavailable) as down:
        await scripts.get_script(1, credentials=reader)
    assert down.value.status == 503
    assert down.value.headers == {"Retry-After": "5"}
    assert "3 attempts" in str(down.value.detail)
    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await scripts.create_script("Lost", credentials=reader)


def story_app(settings: ServiceSettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with scripts_client(app, settings):
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/scripts/{script_id}/title")
    async def title(script_id: int, scripts: ScriptsDep, credentials: ForwardedCredentials) -> str:
        return (await scripts.get_script(script_id, credentials=credentials)).title

    return app


async def test_hook_serves_endpoints_with_the_callers_credentials(
    scripts_server: ServedApp, scripts: ScriptsClient, writer: dict[str, str]
) -> None:
    script = await scripts.create_script("Wired", credentials=writer)
    app = story_app(ServiceSettings(scripts_url=scripts_server.url))
    async with LifespanManager(app):
        client = app.state.scripts
        assert isinstance(client, ScriptsClient)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://story") as http:
            # The scripts service refuses anonymous reads: a 200 means the writer's token went on.
            answer = await http.get(f"/scripts/{script.id}/title", headers=writer)
    assert (answer.status_code, answer.json()) == (200, "Wired")
    assert app.state.scripts is None
    assert client.http._session is None


def test_scripts_url_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ServiceSettings().scripts_url == "http://127.0.0.1:8006"
    monkeypatch.setenv("FOUNTAIN_SCRIPTS_URL", "http://scripts.internal:9006")
    assert ServiceSettings().scripts_url == "http://scripts.internal:9006"
    assert ScriptsSettings().scripts_url == "http://scripts.internal:9006"
    monkeypatch.setenv("FOUNTAIN_SCRIPTS_URL", "scripts.internal")
    with pytest.raises(ValueError, match="http"):
        ServiceSettings()
