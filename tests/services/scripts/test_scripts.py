"""Scripts: CRUD with real PATCH and PUT, filters, sorting, versions first, step-up delete."""

from __future__ import annotations

import time

import httpx
from fastapi import FastAPI

from tests.services.scripts.conftest import client_for
from tests.services.scripts.support import (
    API,
    create_script,
    create_section,
    create_transition,
    json_of,
    reading_order,
    row_counts,
)
from tests.support.tokens import LocalIssuer

TITLE_PAGE = [
    {"key": "Title", "value": "BRICK & STEEL"},
    {"key": "Author", "value": "Stu Maschwitz"},
    {"key": "Author", "value": 'Second, Author "Quoted"'},
    {"key": "Contact", "value": "Next Level Productions\n1588 Mission Dr.\nSolvang, CA 🎬"},
]


def stepped_up(issuer: LocalIssuer) -> dict[str, str]:
    token = issuer.token("writer", amr=("pwd", "otp"), auth_time=int(time.time()))
    return {"Authorization": f"Bearer {token}"}


async def test_create_read_and_the_title_page_round_trips(client: httpx.AsyncClient) -> None:
    created = await create_script(
        client, title="Brick & Steel", author="Stu", description="A heist.", titlePage=TITLE_PAGE
    )
    got = await json_of(await client.get(f"{API}/scripts/{created['id']}"), 200)
    assert got == created
    assert got["titlePage"] == TITLE_PAGE
    assert (got["createdBy"], got["sequenceNumber"]) == ("writer-1", 1)


async def test_patch_changes_only_what_is_sent_and_put_replaces(
    client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client, author="Ann", description="first", titlePage=TITLE_PAGE)
    url = f"{API}/scripts/{script['id']}"

    patched = await json_of(
        await client.patch(url, json={"title": "New", "comment": "retitle"}), 200
    )
    assert (patched["title"], patched["author"], patched["titlePage"]) == ("New", "Ann", TITLE_PAGE)
    assert (await client.patch(url, json={"title": None})).status_code == 422

    body = {"title": "Only", "titlePage": TITLE_PAGE[:1]}
    replaced = await json_of(await client.put(url, json=body), 200)
    assert (replaced["title"], replaced["author"]) == ("Only", "")
    assert replaced["titlePage"] == TITLE_PAGE[:1]
    assert replaced["sequenceNumber"] == 1

    versions = await json_of(await sequence.get(f"{API}/versions/script/{script['id']}"), 200)
    assert [(v["versionNumber"], v["comment"]) for v in versions["items"]] == [
        (2, ""),
        (1, "retitle"),
    ]
    first = await json_of(await sequence.get(f"{API}/versions/script/{script['id']}/1"), 200)
    assert first["data"] == {
        "title": "The Script",
        "author": "Ann",
        "description": "first",
        "titlePage": TITLE_PAGE,
    }


async def test_filters_sorting_and_pages(client: httpx.AsyncClient) -> None:
    heist = await create_script(client, title="Brick & Steel", author="Stu")
    await create_script(client, title="100% Pure", author="Ann")
    other = await create_script(client, title="Apple Days", author="stu")
    await create_section(client, other["id"], title="The Bank Job")

    async def titles(**params: str | int) -> list[str]:
        page = await json_of(await client.get(f"{API}/scripts", params=params), 200)
        return [item["title"] for item in page["items"]]

    assert await titles(author="STU", sort="title") == ["Apple Days", "Brick & Steel"]
    assert await titles(title="steel") == ["Brick & Steel"]
    assert await titles(title="%") == ["100% Pure"]  # a wildcard matches only itself
    assert await titles(sectionTitle="bank") == ["Apple Days"]
    assert await titles(sort="-title") == ["Brick & Steel", "Apple Days", "100% Pure"]
    assert await titles(sort="createdAt", limit=1, offset=1) == ["100% Pure"]
    page = await json_of(await client.get(f"{API}/scripts", params={"limit": 1}), 200)
    assert (page["totalCount"], page["items"][0]["sequenceNumber"]) == (3, 1)
    assert heist["id"] != other["id"]


async def test_delete_needs_a_recent_second_factor(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    url = f"{API}/scripts/{script['id']}"
    refused = await client.delete(url)
    assert refused.status_code == 401
    assert refused.json()["type"].endswith("insufficient-user-authentication")
    assert (await client.get(url)).status_code == 200

    async with client_for(app, stepped_up(issuer)) as stepped:
        assert (await stepped.delete(url, params={"comment": "bye"})).status_code == 204
        assert (await stepped.delete(url)).status_code == 404
    assert (await client.get(url)).status_code == 404
    assert await reading_order(sequence, script["id"]) == []
    versions = await json_of(await sequence.get(f"{API}/versions/script/{script['id']}"), 200)
    assert versions["items"][0]["comment"] == "bye"


async def test_a_script_with_elements_is_deleted_only_with_cascade(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client)
    act = await create_section(client, script["id"], "act")
    scene = await create_section(client, script["id"], parentId=act["id"])
    await create_transition(client, script["id"], sectionId=scene["id"])
    keep = await create_script(client, title="Keep")
    before = await row_counts(app)

    async with client_for(app, stepped_up(issuer)) as stepped:
        url = f"{API}/scripts/{script['id']}"
        assert (await stepped.delete(url)).status_code == 409
        assert await row_counts(app) == before
        assert (await stepped.delete(url, params={"cascade": "true"})).status_code == 204
    after = await row_counts(app)
    assert (after["scripts"], after["sections"], after["transitions"]) == (1, 0, 0)
    assert await reading_order(sequence, script["id"]) == []
    assert await reading_order(sequence, keep["id"]) == [("script", keep["id"])]
