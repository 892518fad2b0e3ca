"""Characters: one script each, names and aliases unique in it in any case, PATCH and PUT,
listings by script and by name or alias, delete refused while actions or lines name one."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from fountainai.services.characters.models import SpokenWord
from tests.services.characters.support import (
    create_action,
    create_character,
    create_line,
    items,
    row_counts,
    stage,
)
from tests.services.scripts.support import API, json_of, reading_order


async def test_create_and_read_a_character(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    created = await create_character(
        client, at.script, "MARGARET", description="A pilot.", aliases=["MAGGIE", "MRS. DALE"]
    )
    assert (created["name"], created["description"]) == ("MARGARET", "A pilot.")
    assert created["aliases"] == ["MAGGIE", "MRS. DALE"]
    assert (created["scriptId"], created["createdBy"]) == (at.script, "writer-1")
    assert created["sequenceNumber"] == 3  # after the script and its scene
    assert "nameKey" not in created
    got = await json_of(await client.get(f"{API}/characters/{created['id']}"), 200)
    assert got == created
    plain = await create_character(client, at.script, "ZED")
    assert (plain["description"], plain["aliases"]) == ("", [])
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("section", at.scene),
        ("character", created["id"]),
        ("character", plain["id"]),
    ]
    missing = await client.get(f"{API}/characters/{plain['id'] + 100}")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_names_and_aliases_are_unique_per_script_in_any_case(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    other = await stage(scripts, "Other")
    margaret = await create_character(client, at.script, "Margaret", aliases=["Maggie"])
    before = await row_counts(app)
    for body in (
        {"name": "MARGARET"},
        {"name": "margaret"},
        {"name": "MAGGIE"},
        {"name": "Ann", "aliases": ["maggie"]},
        {"name": "Ann", "aliases": ["Jo", "MARGARET"]},
    ):
        response = await client.post(f"{API}/characters", json={"scriptId": at.script, **body})
        assert response.status_code == 409, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    for body in ({"name": "Ann", "aliases": ["ANN"]}, {"name": "Ann", "aliases": ["Jo", "jo"]}):
        response = await client.post(f"{API}/characters", json={"scriptId": at.script, **body})
        assert response.status_code == 422, (body, response.text)
    assert await row_counts(app) == before

    # Any case is Unicode's, not only ASCII's.
    await create_character(client, at.script, "ÉLODIE")
    for name in ("élodie", "Élodie"):
        clash = await client.post(f"{API}/characters", json={"scriptId": at.script, "name": name})
        assert clash.status_code == 409, (name, clash.text)
    found = await items(client, "/characters", scriptId=at.script, name="élodie")
    assert [c["name"] for c in found] == ["ÉLODIE"]
    # The same name in another script is another character.
    twin = await create_character(client, other.script, "MARGARET", aliases=["MAGGIE"])
    assert twin["id"] != margaret["id"]
    # A rename into a name (or alias) taken by another character clashes too.
    ann = await create_character(client, at.script, "Ann")
    url = f"{API}/characters/{ann['id']}"
    assert (await client.patch(url, json={"name": "maggie"})).status_code == 409
    assert (await client.patch(url, json={"aliases": ["MARGARET"]})).status_code == 409
    assert (await client.put(url, json={"name": "Margaret"})).status_code == 409
    # Its own name in another case is no clash with itself.
    renamed = await json_of(
        await client.patch(url, json={"name": "ANN", "aliases": ["Annie"]}), 200
    )
    assert (renamed["name"], renamed["aliases"]) == ("ANN", ["Annie"])
    # A name freed by a rename is free again.
    await json_of(
        await client.patch(f"{API}/characters/{margaret['id']}", json={"aliases": []}), 200
    )
    await create_character(client, at.script, "maggie")


async def test_patch_changes_only_what_is_sent_and_put_replaces(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB", description="Tall.", aliases=["ROB"])
    url = f"{API}/characters/{bob['id']}"

    patched = await json_of(
        await client.patch(url, json={"description": "Taller.", "comment": "grew"}), 200
    )
    assert (patched["name"], patched["description"], patched["aliases"]) == (
        "BOB",
        "Taller.",
        ["ROB"],
    )
    assert patched["sequenceNumber"] == bob["sequenceNumber"]
    assert patched["updatedAt"] >= bob["updatedAt"]
    for nulled in ({"name": None}, {"description": None}, {"aliases": None}):
        assert (await client.patch(url, json=nulled)).status_code == 422, nulled
    unchanged = await json_of(await client.patch(url, json={}), 200)
    assert unchanged["description"] == "Taller."

    replaced = await json_of(await client.put(url, json={"name": "ROBERT"}), 200)
    assert (replaced["name"], replaced["description"], replaced["aliases"]) == ("ROBERT", "", [])
    assert (replaced["id"], replaced["scriptId"]) == (bob["id"], at.script)
    assert (await client.put(url, json={"description": "no name"})).status_code == 422
    assert (await client.put(url, json={"name": "X", "scriptId": at.script})).status_code == 422

    versions = await json_of(await sequence.get(f"{API}/versions/character/{bob['id']}"), 200)
    assert [(v["versionNumber"], v["comment"]) for v in versions["items"]] == [
        (3, ""),
        (2, ""),
        (1, "grew"),
    ]
    first = await json_of(await sequence.get(f"{API}/versions/character/{bob['id']}/1"), 200)
    assert first["data"] == {"name": "BOB", "description": "Tall.", "aliases": ["ROB"]}
    assert (await client.patch(f"{API}/characters/{bob['id'] + 50}", json={})).status_code == 404
    missing = await client.put(f"{API}/characters/{bob['id'] + 50}", json={"name": "A"})
    assert missing.status_code == 404


async def test_listings_by_script_and_by_name_or_alias(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    other = await stage(scripts, "Other")
    zed = await create_character(client, at.script, "ZED")
    ann = await create_character(client, at.script, "Ann", aliases=["Annie", "MRS. DALE"])
    await create_character(client, other.script, "OTTO")
    # Inserted before both: the reading order, not creation or name, sorts the listing.
    first = await create_character(client, at.script, "Mona", position=3)

    def names(found: list[dict[str, object]]) -> list[object]:
        return [c["name"] for c in found]

    assert names(await items(client, "/characters", scriptId=at.script)) == ["Mona", "ZED", "Ann"]
    by_path = await items(client, f"/characters/scripts/{at.script}")
    assert names(by_path) == ["Mona", "ZED", "Ann"]
    assert [c["sequenceNumber"] for c in by_path] == [3, 4, 5]
    for name in ("ann", "ANNIE", "mrs. dale", "Mrs. Dale"):
        assert names(await items(client, "/characters", scriptId=at.script, name=name)) == ["Ann"]
        found = await items(client, f"/characters/scripts/{at.script}", name=name)
        assert [c["id"] for c in found] == [ann["id"]]
    assert await items(client, "/characters", scriptId=at.script, name="An") == []
    assert await items(client, "/characters", scriptId=at.script, name="OTTO") == []

    page = await json_of(
        await client.get(
            f"{API}/characters", params={"scriptId": at.script, "limit": 1, "offset": 1}
        ),
        200,
    )
    assert ([c["id"] for c in page["items"]], page["totalCount"]) == ([zed["id"]], 3)
    assert (page["limit"], page["offset"]) == (1, 1)
    assert first["sequenceNumber"] == 3

    for path, params in (
        ("/characters/scripts/99999", {}),
        ("/characters", {"scriptId": 99999}),
    ):
        response = await client.get(f"{API}{path}", params=params)
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"{API}/characters")).status_code == 422


async def test_delete_is_refused_while_actions_or_lines_name_the_character(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    url = f"{API}/characters/{bob['id']}"
    action = await create_action(client, at.script, characterId=bob["id"])
    line = await create_line(client, at.script, bob["id"])
    before = await row_counts(app)

    refused = await client.delete(url)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert await row_counts(app) == before
    assert (await client.delete(f"{API}/lines/{line['id']}")).status_code == 204
    assert (await client.delete(url)).status_code == 409  # the action still names him
    await json_of(
        await client.patch(f"{API}/actions/{action['id']}", json={"characterId": None}), 200
    )
    assert (await client.delete(url, params={"comment": "cut"})).status_code == 204
    assert (await client.get(url)).status_code == 404
    assert (await client.delete(url)).status_code == 404
    assert ("character", bob["id"]) not in await reading_order(sequence, at.script)
    versions = await json_of(await sequence.get(f"{API}/versions/character/{bob['id']}"), 200)
    assert versions["items"][0]["comment"] == "cut"
    # His name is free again.
    await create_character(client, at.script, "bob")


async def test_a_line_written_meanwhile_makes_the_delete_409_not_500(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient, database_url: str
) -> None:
    """A line naming the character is being written (uncommitted) while the delete checks for
    users: the delete waits for it, then sees it (409), instead of failing the foreign key."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks: PostgreSQL only (SQLite serialises whole transactions)")
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    async with app.state.sessionmaker() as writing, app.state.sessionmaker() as watcher:
        line = SpokenWord(
            script_id=at.script, created_by="w", character_id=bob["id"], speech_id=1, text="x"
        )
        writing.add(line)
        await writing.flush()
        deleting = asyncio.create_task(client.delete(f"{API}/characters/{bob['id']}"))
        async with asyncio.timeout(10):
            while not deleting.done():
                waiting = await watcher.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                )
                await watcher.commit()
                if waiting.scalar_one():
                    break
                await asyncio.sleep(0.01)
        await writing.commit()
        response = await deleting
    assert response.status_code == 409, response.text
    assert (await client.get(f"{API}/characters/{bob['id']}")).status_code == 200
