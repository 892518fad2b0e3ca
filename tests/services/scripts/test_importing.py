"""An unfinished import (``importing: true``): any writer may delete it, cascade too, without a
second factor; PATCH may only finish it; it is never part of a version, so no restore re-opens
the delete of a finished script."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.services.scripts.conftest import client_for
from tests.services.scripts.support import (
    API,
    create_markup,
    create_script,
    create_section,
    create_transition,
    json_of,
    outbox_rows,
    reading_order,
    row_counts,
)
from tests.support.tokens import LocalIssuer


async def versions_of(sequence: httpx.AsyncClient, script_id: int) -> list[dict[str, Any]]:
    page = await json_of(await sequence.get(f"{API}/versions/script/{script_id}"), 200)
    items: list[dict[str, Any]] = page["items"]
    return items


async def test_created_as_an_import_shown_and_filtered(client: httpx.AsyncClient) -> None:
    importing = await create_script(client, title="Half", importing=True)
    finished = await create_script(client, title="Whole")
    assert (importing["importing"], finished["importing"]) == (True, False)
    got = await json_of(await client.get(f"{API}/scripts/{importing['id']}"), 200)
    assert got == importing

    async def titles(**params: str) -> list[str]:
        page = await json_of(await client.get(f"{API}/scripts", params=params), 200)
        return sorted(item["title"] for item in page["items"])

    assert await titles(importing="true") == ["Half"]
    assert await titles(importing="false") == ["Whole"]
    assert await titles() == ["Half", "Whole"]
    assert await titles(importing="true", title="whole") == []
    assert (await client.get(f"{API}/scripts", params={"importing": "maybe"})).status_code == 422


@pytest.mark.parametrize("importing", ["yes", 1, None])
async def test_a_bad_importing_on_create_is_422_and_nothing_is_made(
    app: FastAPI, client: httpx.AsyncClient, importing: object
) -> None:
    before = await row_counts(app)
    response = await client.post(f"{API}/scripts", json={"title": "T", "importing": importing})
    assert response.status_code == 422, response.text
    assert await row_counts(app) == before


async def test_patch_finishes_an_import_and_never_restarts_one(
    app: FastAPI, client: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client, title="Half", importing=True)
    url = f"{API}/scripts/{script['id']}"
    done = await create_script(client, title="Done")
    before = (await row_counts(app), await outbox_rows(app))

    for body in ({"importing": True}, {"importing": None}, {"importing": "false"}):
        for target in (url, f"{API}/scripts/{done['id']}"):
            refused = await client.patch(target, json=body)
            assert refused.status_code == 422, (body, refused.text)
    refused = await client.patch(url, json={"importing": True, "title": "Sneaky"})
    assert "never becomes an unfinished import again" in refused.text
    assert (await row_counts(app), await outbox_rows(app)) == before
    assert await json_of(await client.get(url), 200) == script
    assert await versions_of(sequence, script["id"]) == []

    finished = await json_of(
        await client.patch(url, json={"importing": False, "comment": "imported"}), 200
    )
    assert (finished["importing"], finished["title"]) == (False, "Half")
    again = await json_of(await client.patch(url, json={"importing": False}), 200)
    assert again["importing"] is False
    assert (await client.patch(url, json={"importing": True})).status_code == 422
    assert (await json_of(await client.get(url), 200))["importing"] is False


async def test_put_leaves_importing_as_it_is_and_refuses_it(client: httpx.AsyncClient) -> None:
    script = await create_script(client, importing=True)
    url = f"{API}/scripts/{script['id']}"
    replaced = await json_of(await client.put(url, json={"title": "Replaced"}), 200)
    assert (replaced["title"], replaced["importing"]) == ("Replaced", True)
    for importing in (False, True):
        response = await client.put(url, json={"title": "X", "importing": importing})
        assert response.status_code == 422
    assert await json_of(await client.get(url), 200) == replaced


async def test_any_writer_deletes_an_import_with_cascade_and_no_second_factor(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer, sequence: httpx.AsyncClient
) -> None:
    script = await create_script(client, importing=True)
    act = await create_section(client, script["id"], "act")
    await create_transition(client, script["id"], sectionId=act["id"])
    await create_markup(client, script["id"], "note", sectionId=act["id"])
    keep = await create_script(client, title="Keep")
    url = f"{API}/scripts/{script['id']}"
    before = await row_counts(app)

    async with client_for(app, issuer.headers("writer", username="writer-2")) as other:
        assert (await other.delete(url)).status_code == 409  # no cascade: still 409
        assert await row_counts(app) == before
        deleted = await other.delete(url, params={"cascade": "true", "comment": "failed"})
        assert deleted.status_code == 204, deleted.text
    after = await row_counts(app)
    assert (after["scripts"], after["sections"], after["transitions"], after["markup"]) == (
        1,
        0,
        0,
        0,
    )
    assert await reading_order(sequence, script["id"]) == []
    assert await reading_order(sequence, keep["id"]) == [("script", keep["id"])]
    # An unfinished import is discarded, not kept: no versions (as the Characters discard).
    assert await versions_of(sequence, script["id"]) == []


async def test_an_import_with_another_services_elements_is_still_409(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer, sequence_server: Any
) -> None:
    script = await create_script(client, importing=True)
    async with httpx.AsyncClient(
        base_url=sequence_server.url, headers=issuer.headers("writer")
    ) as sequence_writer:
        body = {"elementType": "character", "elementId": 7, "scriptId": script["id"]}
        await json_of(await sequence_writer.post(f"{API}/sequence", json=body), 201)
    before = await row_counts(app)
    refused = await client.delete(f"{API}/scripts/{script['id']}", params={"cascade": "true"})
    assert refused.status_code == 409
    assert "other services own (character)" in refused.json()["detail"]
    assert await row_counts(app) == before


async def test_restoring_an_old_version_does_not_reopen_the_delete(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer, sequence: httpx.AsyncClient
) -> None:
    """The attack: a script created as an import, finished, then restored to version 1 (kept
    while it was importing) must still need a second factor to delete."""
    script = await create_script(client, title="Heist", importing=True)
    url = f"{API}/scripts/{script['id']}"
    await json_of(await client.patch(url, json={"importing": False, "title": "Heist 2"}), 200)
    kept = await json_of(await sequence.get(f"{API}/versions/script/{script['id']}/1"), 200)
    assert "importing" not in kept["data"]

    restored = await json_of(await client.post(f"{url}/restore", params={"version": 1}), 200)
    assert (restored["title"], restored["importing"]) == ("Heist", False)
    refused = await client.delete(url, params={"cascade": "true"})
    assert refused.status_code == 401
    assert refused.json()["type"].endswith("insufficient-user-authentication")
    assert (await json_of(await client.get(url), 200))["importing"] is False

    token = issuer.token("writer", amr=("pwd", "otp"), auth_time=int(time.time()))
    async with client_for(app, {"Authorization": f"Bearer {token}"}) as stepped:
        assert (await stepped.delete(url)).status_code == 204


async def test_a_deleted_import_is_gone_for_good(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    """An unfinished import is discarded without versions (nobody can have worked on it), so
    there is nothing to restore, and nothing an old version could re-open."""
    script = await create_script(client, importing=True)
    url = f"{API}/scripts/{script['id']}"
    assert (await client.delete(url)).status_code == 204
    assert (await client.post(f"{url}/restore", params={"version": 1})).status_code == 404
    assert (await client.get(url)).status_code == 404


async def test_readers_and_strangers_cannot_finish_or_delete_an_import(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    script = await create_script(client, importing=True)
    url = f"{API}/scripts/{script['id']}"
    before = (await row_counts(app), await outbox_rows(app))
    async with client_for(app, issuer.headers("reader")) as reader:
        assert (await reader.patch(url, json={"importing": False})).status_code == 403
        assert (await reader.delete(url)).status_code == 403
        assert (
            await reader.post(f"{API}/scripts", json={"title": "T", "importing": True})
        ).status_code == 403
    async with client_for(app, {}) as anonymous:
        assert (await anonymous.delete(url)).status_code == 401
    assert (await row_counts(app), await outbox_rows(app)) == before
    assert (await json_of(await client.get(url), 200))["importing"] is True


async def test_a_missing_script_is_404_with_or_without_a_second_factor(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.delete(f"{API}/scripts/999")).status_code == 404
    assert (await client.patch(f"{API}/scripts/999", json={"importing": False})).status_code == 404
