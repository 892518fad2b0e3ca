"""CharactersClient against the real Characters service, which checks scripts and sections with
the real Scripts service and numbers every element in the real Central Sequence (all three under
uvicorn, both backends; every app trusts the sequence fixture's LocalIssuer)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from fountainai.core import (
    Conflict,
    NotFound,
    PermissionDenied,
    ServiceSettings,
    UnprocessableEntity,
    UpstreamUnavailable,
)
from fountainai.core.clients import (
    Action,
    Character,
    CharactersClient,
    CharactersDep,
    ForwardedCredentials,
    Line,
    ScriptsClient,
    SectionKind,
    characters_client,
)
from fountainai.services.scripts.config import ScriptsSettings
from tests.support.platform import ServedApp


@dataclass(frozen=True)
class Stage:
    script: int
    scene: int


async def stage(scripts: ScriptsClient, writer: dict[str, str], title: str = "Heist") -> Stage:
    script = await scripts.create_script(title, credentials=writer)
    scene = await scripts.create_section(script.id, SectionKind.SCENE, credentials=writer)
    return Stage(script.id, scene.id)


async def test_create_and_get_characters_actions_and_lines(
    characters: CharactersClient,
    scripts: ScriptsClient,
    writer: dict[str, str],
    reader: dict[str, str],
) -> None:
    at = await stage(scripts, writer)
    ann = await characters.create_character(
        at.script, "ANN", description="the driver", aliases=["ANNIE"], credentials=writer
    )
    rain = await characters.create_action(
        at.script,
        "Rain hammers the windshield.",
        section_id=at.scene,
        character_id=ann.id,
        forced=True,
        credentials=writer,
    )
    first = await characters.create_line(
        at.script,
        ann.id,
        "We're not going back.",
        section_id=at.scene,
        parenthetical="quietly",
        extensions=["V.O."],
        dual=True,
        credentials=writer,
    )
    second = await characters.create_line(
        at.script, ann.id, "Not ever.", speech_id=first.speech_id, credentials=writer
    )

    found = await characters.get_character(ann.id, credentials=reader)
    assert isinstance(found, Character)
    assert found == ann
    assert (found.script_id, found.name, found.description) == (at.script, "ANN", "the driver")
    assert found.aliases == ["ANNIE"]
    assert isinstance(found.sequence_number, int)
    assert isinstance(found.created_at, datetime)

    action = await characters.get_action(rain.id, credentials=reader)
    assert isinstance(action, Action)
    assert action == rain
    assert (action.section_id, action.character_id, action.forced) == (at.scene, ann.id, True)
    assert action.text == "Rain hammers the windshield."

    line = await characters.get_line(first.id, credentials=reader)
    assert isinstance(line, Line)
    assert line == first
    assert (line.speech_id, line.character_id, line.section_id) == (first.id, ann.id, at.scene)
    assert (line.parenthetical, line.extensions, line.dual) == ("quietly", ["V.O."], True)
    assert (second.speech_id, second.section_id, second.dual) == (first.id, None, False)
    assert ann.sequence_number is not None
    assert rain.sequence_number is not None
    assert ann.sequence_number < rain.sequence_number


async def test_characters_of_walks_every_page(
    characters: CharactersClient,
    scripts: ScriptsClient,
    writer: dict[str, str],
    reader: dict[str, str],
) -> None:
    at = await stage(scripts, writer)
    created = [
        await characters.create_character(at.script, name, credentials=writer)
        for name in ("ANN", "BOB", "CAL", "DOT")
    ]
    eve = await characters.create_character(
        at.script, "EVE", aliases=["EVIE"], position=1, credentials=writer
    )

    every = await characters.characters_of(at.script, page_size=2, credentials=reader)
    assert [c.id for c in every] == [eve.id] + [c.id for c in created]
    assert every == await characters.characters_of(at.script, credentials=reader)
    assert await characters.characters_of(
        at.script, name="evie", page_size=1, credentials=reader
    ) == [eve]
    assert await characters.characters_of(at.script, name="ZED", credentials=reader) == []
    empty = await stage(scripts, writer, "Empty")
    assert await characters.characters_of(empty.script, credentials=reader) == []


async def test_lines_and_actions_walk_every_page_with_their_filters(
    characters: CharactersClient,
    scripts: ScriptsClient,
    writer: dict[str, str],
    reader: dict[str, str],
) -> None:
    at = await stage(scripts, writer)
    ann = await characters.create_character(at.script, "ANN", credentials=writer)
    bob = await characters.create_character(at.script, "BOB", credentials=writer)
    opening = await characters.create_line(
        at.script, ann.id, "Hello there.", section_id=at.scene, credentials=writer
    )
    said = [opening] + [
        await characters.create_line(
            at.script, speaker.id, text, speech_id=speech, credentials=writer
        )
        for speaker, text, speech in (
            (ann, "Still there?", opening.id),
            (bob, "HELLO back.", None),
            (ann, "Bye.", None),
            (bob, "So long.", None),
        )
    ]
    done = [
        await characters.create_action(
            at.script, f"Beat {i}.", character_id=who, section_id=where, credentials=writer
        )
        for i, who, where in ((0, ann.id, at.scene), (1, None, None), (2, bob.id, None))
    ]

    every = await characters.lines(script_id=at.script, page_size=2, credentials=reader)
    assert [line.id for line in every] == [line.id for line in said]
    assert every == await characters.lines(script_id=at.script, credentials=reader)
    anns = await characters.lines(character_id=ann.id, page_size=1, credentials=reader)
    assert [line.text for line in anns] == ["Hello there.", "Still there?", "Bye."]
    speech = await characters.lines(script_id=at.script, speech_id=opening.id, credentials=reader)
    assert [line.id for line in speech] == [said[0].id, said[1].id]
    hello = await characters.lines(script_id=at.script, keyword="hello", credentials=reader)
    assert [line.id for line in hello] == [said[0].id, said[2].id]
    in_scene = await characters.lines(script_id=at.script, section_id=at.scene, credentials=reader)
    assert in_scene == [opening]

    actions = await characters.actions(script_id=at.script, page_size=2, credentials=reader)
    assert actions == done
    assert await characters.actions(character_id=bob.id, credentials=reader) == [done[2]]
    assert await characters.actions(
        script_id=at.script, section_id=at.scene, credentials=reader
    ) == [done[0]]
    assert await characters.actions(script_id=at.script, keyword="BEAT 1", credentials=reader) == [
        done[1]
    ]


async def test_missing_elements_are_not_found(
    characters: CharactersClient, reader: dict[str, str]
) -> None:
    with pytest.raises(NotFound) as missing:
        await characters.get_character(999, credentials=reader)
    assert missing.value.status == 404
    with pytest.raises(NotFound):
        await characters.get_action(999, credentials=reader)
    with pytest.raises(NotFound):
        await characters.get_line(999, credentials=reader)
    with pytest.raises(NotFound):
        await characters.characters_of(999, credentials=reader)
    with pytest.raises(NotFound):
        await characters.lines(character_id=999, credentials=reader)
    with pytest.raises(NotFound):
        await characters.actions(script_id=999, credentials=reader)


async def test_a_reader_may_not_create(
    characters: CharactersClient,
    scripts: ScriptsClient,
    writer: dict[str, str],
    reader: dict[str, str],
) -> None:
    at = await stage(scripts, writer)
    with pytest.raises(PermissionDenied) as denied:
        await characters.create_character(at.script, "ANN", credentials=reader)
    assert denied.value.status == 403
    ann = await characters.create_character(at.script, "ANN", credentials=writer)
    with pytest.raises(PermissionDenied):
        await characters.create_action(at.script, "Nope.", credentials=reader)
    with pytest.raises(PermissionDenied):
        await characters.create_line(at.script, ann.id, "Nope.", credentials=reader)

    assert await characters.characters_of(at.script, credentials=reader) == [ann]
    assert await characters.actions(script_id=at.script, credentials=reader) == []
    assert await characters.lines(script_id=at.script, credentials=reader) == []


async def test_refused_input_is_passed_on_naming_the_field(
    characters: CharactersClient, scripts: ScriptsClient, writer: dict[str, str]
) -> None:
    at = await stage(scripts, writer)
    other = await stage(scripts, writer, "Other")
    with pytest.raises(UnprocessableEntity, match=r"Characters refused the input: body\.name: "):
        await characters.create_character(at.script, "", credentials=writer)
    otto = await characters.create_character(other.script, "OTTO", credentials=writer)
    with pytest.raises(UnprocessableEntity, match=rf"characterId {otto.id} is not a character"):
        await characters.create_line(at.script, otto.id, "Hi.", credentials=writer)
    with pytest.raises(UnprocessableEntity, match="sectionId"):
        await characters.create_action(
            at.script, "Elsewhere.", section_id=other.scene, credentials=writer
        )
    with pytest.raises(UnprocessableEntity, match="scriptId"):
        await characters.lines(credentials=writer)
    ann = await characters.create_character(at.script, "ANN", credentials=writer)
    with pytest.raises(Conflict, match="already has a character called 'ANN'"):
        await characters.create_character(at.script, "ann", credentials=writer)

    assert await characters.characters_of(at.script, credentials=writer) == [ann]
    assert await characters.lines(script_id=at.script, credentials=writer) == []
    assert await characters.actions(script_id=at.script, credentials=writer) == []


async def test_characters_down_is_unavailable(
    characters: CharactersClient, characters_server: ServedApp, reader: dict[str, str]
) -> None:
    await characters_server.stop()

    with pytest.raises(UpstreamUnavailable) as down:
        await characters.get_character(1, credentials=reader)
    assert down.value.status == 503
    assert down.value.headers == {"Retry-After": "5"}
    assert "3 attempts" in str(down.value.detail)
    with pytest.raises(UpstreamUnavailable):
        await characters.lines(script_id=1, credentials=reader)
    with pytest.raises(UpstreamUnavailable, match="not retried"):
        await characters.create_character(1, "LOST", credentials=reader)


def story_app(settings: ServiceSettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with characters_client(app, settings):
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/characters/{character_id}/name")
    async def name(
        character_id: int, characters: CharactersDep, credentials: ForwardedCredentials
    ) -> str:
        return (await characters.get_character(character_id, credentials=credentials)).name

    return app


async def test_hook_serves_endpoints_with_the_callers_credentials(
    characters_server: ServedApp,
    characters: CharactersClient,
    scripts: ScriptsClient,
    writer: dict[str, str],
) -> None:
    at = await stage(scripts, writer)
    ann = await characters.create_character(at.script, "ANN", credentials=writer)
    app = story_app(ServiceSettings(characters_url=characters_server.url))
    async with LifespanManager(app):
        client = app.state.characters
        assert isinstance(client, CharactersClient)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://story") as http:
            # The characters service refuses anonymous reads: a 200 means the token went on.
            answer = await http.get(f"/characters/{ann.id}/name", headers=writer)
    assert (answer.status_code, answer.json()) == (200, "ANN")
    assert app.state.characters is None
    assert client.http._session is None


def test_characters_url_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ServiceSettings().characters_url == "http://127.0.0.1:8005"
    monkeypatch.setenv("FOUNTAIN_CHARACTERS_URL", "http://characters.internal:9005")
    assert ServiceSettings().characters_url == "http://characters.internal:9005"
    assert ScriptsSettings().characters_url == "http://characters.internal:9005"
    monkeypatch.setenv("FOUNTAIN_CHARACTERS_URL", "characters.internal")
    with pytest.raises(ValueError, match="http"):
        ServiceSettings()
