"""An import is all or nothing: a failure midway removes the partial script; when even that
fails, the import says so and DELETE /stories/imports/{id} finishes the job later."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from fastapi import FastAPI

from fountainai.core.clients import ForwardedCredentials
from fountainai.core.errors import UpstreamUnavailable
from fountainai.services.story.clients import StoryClientsDep
from fountainai.services.story.imports.platform import ServicePlatform, get_platform
from tests.services.story.support import STORY, import_text
from tests.support.platform import ServedApp
from tests.support.tokens import LocalIssuer

SCENE = """Title: Half Done

INT. DINER - NIGHT

Rain on the windows.

MAE
Coffee?

JOE
(tired)
Black.

CUT TO:
"""


class FailingReorder(ServicePlatform):
    async def reorder(self, script_id: int, order: list[tuple[str, int]], *, comment: str) -> None:
        raise UpstreamUnavailable("Central Sequence is unavailable")


async def _scripts_and_orders(
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    scripts_server: ServedApp,
    sequence_server: ServedApp,
    script_id: int,
) -> tuple[list[dict[str, object]], int]:
    async with service_client(scripts_server) as scripts, service_client(sequence_server) as seq:
        listed = (await scripts.get("/api/v1/scripts")).json()["items"]
        order = (await seq.get("/api/v1/sequence", params={"scriptId": script_id})).json()
    return listed, order["totalCount"]


async def test_a_failure_after_the_elements_were_created_removes_them_all(
    app: FastAPI,
    client: httpx.AsyncClient,
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    scripts_server: ServedApp,
    sequence_server: ServedApp,
) -> None:
    async def failing(
        clients: StoryClientsDep, credentials: ForwardedCredentials
    ) -> ServicePlatform:
        return FailingReorder(clients, credentials)

    app.dependency_overrides[get_platform] = failing
    answer = await import_text(client, SCENE)
    app.dependency_overrides.clear()

    assert answer.status_code == 503, answer.text
    problem = answer.json()
    assert problem["importStatus"] == "rolled_back"
    assert "partial script was removed" in problem["detail"]
    report = (await client.get(f"{STORY}/imports/{problem['importId']}")).json()
    assert report["status"] == "rolled_back"
    assert "Central Sequence" in report["error"]
    listed, numbered = await _scripts_and_orders(
        service_client, scripts_server, sequence_server, report["scriptId"]
    )
    assert listed == []
    assert numbered == 0


async def test_when_the_rollback_fails_too_the_import_can_be_discarded_later(
    client: httpx.AsyncClient,
    service_client: Callable[[ServedApp], httpx.AsyncClient],
    scripts_server: ServedApp,
    sequence_server: ServedApp,
    characters_server: ServedApp,
) -> None:
    await characters_server.stop()
    answer = await import_text(client, SCENE)
    assert answer.status_code == 503, answer.text
    problem = answer.json()
    assert problem["importStatus"] == "rollback_pending"
    import_id = problem["importId"]

    report = (await client.get(f"{STORY}/imports/{import_id}")).json()
    listed, _ = await _scripts_and_orders(
        service_client, scripts_server, sequence_server, report["scriptId"]
    )
    assert [(s["id"], s["importing"]) for s in listed] == [(report["scriptId"], True)]

    await characters_server.start()
    discarded = await client.delete(f"{STORY}/imports/{import_id}")
    assert discarded.status_code == 200, discarded.text
    assert discarded.json()["status"] == "rolled_back"
    listed, numbered = await _scripts_and_orders(
        service_client, scripts_server, sequence_server, report["scriptId"]
    )
    assert listed == []
    assert numbered == 0


async def test_only_a_failed_import_can_be_discarded_and_only_by_its_user(
    app: FastAPI, client: httpx.AsyncClient, issuer: LocalIssuer
) -> None:
    done = (await import_text(client, SCENE)).json()
    refused = await client.delete(f"{STORY}/imports/{done['importId']}")
    assert refused.status_code == 409
    transport = httpx.ASGITransport(app=app)
    headers = issuer.headers("writer", username="someone-else")
    async with httpx.AsyncClient(
        transport=transport, base_url="http://story.test", headers=headers
    ) as other:
        assert (await other.get(f"{STORY}/imports/{done['importId']}")).status_code == 404
        assert (await other.delete(f"{STORY}/imports/{done['importId']}")).status_code == 404
