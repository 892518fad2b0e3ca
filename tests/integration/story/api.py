"""Typed helpers over httpx for the story services' HTTP APIs, as one account sees them.

Each helper returns the decoded JSON of a successful answer (asserting its status) or, with a
``try_`` prefix or through ``ServiceApi.request``, the raw response, for tests of refusals.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import httpx

from tests.integration.story.platform import SCRIPTS, SEQUENCE, SESSIONS, StoryPlatform

JSON = dict[str, Any]
Ref = tuple[str, int]  # (elementType, elementId), as Central Sequence names an element
PROBLEM_JSON: Final = "application/problem+json"
API: Final = "/api/v1"


def expect(response: httpx.Response, status: int) -> Any:
    """The answer's JSON, after checking its status (the body explains a mismatch)."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json()


def problem(response: httpx.Response, status: int) -> JSON:
    """An RFC 9457 problem with this status, as every 4xx/5xx must be."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body: JSON = response.json()
    assert body["status"] == status
    assert body["title"]
    return body


class ServiceApi:
    def __init__(self, http: httpx.Client, base_url: str) -> None:
        self.http = http
        self.base_url = base_url

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """``path`` below /api/v1."""
        return self.http.request(method, f"{self.base_url}{API}{path}", **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return expect(self.request("GET", path, params=params), 200)


class SequenceApi(ServiceApi):
    def entries(self, script_id: int) -> list[JSON]:
        page = self.get("/sequence", scriptId=script_id, limit=500)
        assert page["totalCount"] == len(page["items"])
        items: list[JSON] = page["items"]
        return items

    def reading_order(self, script_id: int) -> list[Ref]:
        """The script's elements in reading order, after checking the numbers are 1..n."""
        entries = self.entries(script_id)
        assert [e["sequenceNumber"] for e in entries] == list(range(1, len(entries) + 1))
        return [(e["elementType"], e["elementId"]) for e in entries]

    def try_allocate(self, script_id: int, ref: Ref, **fields: Any) -> httpx.Response:
        body = {"scriptId": script_id, "elementType": ref[0], "elementId": ref[1], **fields}
        return self.request("POST", "/sequence", json=body)

    def try_reorder(self, script_id: int, **form: Any) -> httpx.Response:
        """``order=[(type, id), ...]`` (the complete new order) or ``move={...}``."""
        body: JSON = {"scriptId": script_id, **form}
        if "order" in form:
            body["order"] = [{"elementType": t, "elementId": i} for t, i in form["order"]]
        return self.request("PUT", "/sequence/reorder", json=body)

    def versions(self, ref: Ref) -> list[JSON]:
        """The element's versions, newest first."""
        items: list[JSON] = self.get(f"/versions/{ref[0]}/{ref[1]}", limit=500)["items"]
        return items


# The scripts service's kinds placed in a script: kind -> its collection below the script.
KINDS: Final = {"section": "sections", "transition": "transitions", "markup": "markup"}
# Where one element of a kind lives: /<path>/{id}.
ITEM_PATHS: Final = {"script": "scripts", **KINDS}
MARKUP_TYPES: Final = frozenset({"note", "lyric", "centered", "pageBreak", "synopsis"})
# The element types the Scripts service owns at Central Sequence.
SCRIPTS_TYPES: Final = frozenset({"script", "section", "transition"}) | MARKUP_TYPES


def ref_of(kind: str, element: JSON) -> Ref:
    """How Central Sequence names a scripts-service element (markup: by its own kind)."""
    return (element["kind"] if kind == "markup" else kind), element["id"]


class ScriptsApi(ServiceApi):
    def create_script(self, title: str, **fields: Any) -> JSON:
        created: JSON = expect(
            self.request("POST", "/scripts", json={"title": title, **fields}), 201
        )
        return created

    def try_create(self, kind: str, script_id: int, /, **body: Any) -> httpx.Response:
        return self.request("POST", f"/scripts/{script_id}/{KINDS[kind]}", json=body)

    def create(self, kind: str, script_id: int, /, **body: Any) -> JSON:
        """A section, transition or markup element (``body`` in the API's camelCase)."""
        created: JSON = expect(self.try_create(kind, script_id, **body), 201)
        return created

    def read(self, kind: str, element_id: int) -> JSON:
        element: JSON = self.get(f"/{ITEM_PATHS[kind]}/{element_id}")
        return element

    def patch(self, kind: str, element_id: int, /, **changes: Any) -> httpx.Response:
        return self.request("PATCH", f"/{ITEM_PATHS[kind]}/{element_id}", json=changes)

    def delete(self, kind: str, element_id: int, /, **params: Any) -> httpx.Response:
        return self.request("DELETE", f"/{ITEM_PATHS[kind]}/{element_id}", params=params)

    def restore(self, kind: str, element_id: int, version: int) -> httpx.Response:
        path = f"/{ITEM_PATHS[kind]}/{element_id}/restore"
        return self.request("POST", path, params={"version": version})

    def listing(self, kind: str, script_id: int) -> list[JSON]:
        """Every element of a kind in the script, in reading order as the service lists it."""
        page = self.get(f"/scripts/{script_id}/{KINDS[kind]}", limit=500)
        assert page["totalCount"] == len(page["items"])
        items: list[JSON] = page["items"]
        return items

    def scripts_count(self) -> int:
        count: int = self.get("/scripts", limit=1)["totalCount"]
        return count


class SessionsApi(ServiceApi):
    def try_create(self, title: str, **fields: Any) -> httpx.Response:
        return self.request("POST", "/sessions", json={"title": title, **fields})

    def try_read(self, session_id: int) -> httpx.Response:
        return self.request("GET", f"/sessions/{session_id}")


@dataclass(frozen=True)
class ScriptView:
    """Everything the services show of one script: compared before and after a refused write."""

    script: JSON
    reading_order: list[Ref]
    listings: dict[str, list[JSON]]
    versions: dict[Ref, int]


@dataclass(frozen=True)
class Story:
    """One account's view of the platform: a typed helper per service, on one client (``http``,
    for a module's own helper of another service: ``CharactersApi(writer.http, url)``)."""

    http: httpx.Client
    sequence: SequenceApi
    scripts: ScriptsApi
    sessions: SessionsApi

    def view(self, script_id: int) -> ScriptView:
        """The script, its reading order, its elements as listed, and each one's version count."""
        listings = {kind: self.scripts.listing(kind, script_id) for kind in KINDS}
        refs = [ref_of(kind, e) for kind, elements in listings.items() for e in elements]
        return ScriptView(
            script=self.scripts.get(f"/scripts/{script_id}"),
            reading_order=self.sequence.reading_order(script_id),
            listings=listings,
            versions={
                ref: len(self.sequence.versions(ref)) for ref in [("script", script_id), *refs]
            },
        )

    def assert_listings_follow_reading_order(self, script_id: int) -> list[Ref]:
        """Scripts lists exactly the elements of its kinds that Central Sequence orders, with
        their numbers there, in that order; returns the reading order."""
        order = self.sequence.reading_order(script_id)
        position = {ref: number for number, ref in enumerate(order, start=1)}
        listed: list[Ref] = [("script", script_id)]
        for kind in KINDS:
            elements = self.scripts.listing(kind, script_id)
            numbers = [element["sequenceNumber"] for element in elements]
            refs = [ref_of(kind, element) for element in elements]
            assert numbers == [position.get(ref) for ref in refs]
            assert numbers == sorted(numbers)
            listed += refs
        assert sorted(listed) == sorted(ref for ref in order if ref[0] in SCRIPTS_TYPES)
        return order


@contextmanager
def acting_as(platform: StoryPlatform, account: str) -> Iterator[Story]:
    with platform.http(account) as http:
        yield Story(
            http=http,
            sequence=SequenceApi(http, platform.url(SEQUENCE.name)),
            scripts=ScriptsApi(http, platform.url(SCRIPTS.name)),
            sessions=SessionsApi(http, platform.url(SESSIONS.name)),
        )
