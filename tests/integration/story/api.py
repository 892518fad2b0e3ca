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

from tests.integration.story.platform import (
    CHARACTERS,
    SCRIPTS,
    SEQUENCE,
    SESSIONS,
    StoryPlatform,
)

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
# The Characters service's kinds: kind -> its collection (/<path>, /<path>/{id}, /<path>/batch).
CHARACTER_KINDS: Final = {"character": "characters", "action": "actions", "line": "lines"}
# Element types at Central Sequence, where they differ from the kind (a line is a spoken word).
ELEMENT_TYPES: Final = {"line": "spokenWord"}
# The element types the Characters service owns at Central Sequence.
CHARACTERS_TYPES: Final = frozenset(ELEMENT_TYPES.get(k, k) for k in CHARACTER_KINDS)
# Every kind a script's elements are listed by, in both services.
LISTED_KINDS: Final = (*KINDS, *CHARACTER_KINDS)


def ref_of(kind: str, element: JSON) -> Ref:
    """How Central Sequence names an element of either service (markup: by its own kind)."""
    if kind == "markup":
        return element["kind"], element["id"]
    return ELEMENT_TYPES.get(kind, kind), element["id"]


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


class CharactersApi(ServiceApi):
    """Characters, actions and lines (``kind``), each in one script named by ``scriptId``."""

    def try_create(self, kind: str, script_id: int, /, **body: Any) -> httpx.Response:
        body = {"scriptId": script_id, **body}
        return self.request("POST", f"/{CHARACTER_KINDS[kind]}", json=body)

    def create(self, kind: str, script_id: int, /, **body: Any) -> JSON:
        """A character, action or line (``body`` in the API's camelCase)."""
        created: JSON = expect(self.try_create(kind, script_id, **body), 201)
        return created

    def try_batch(
        self, kind: str, script_id: int, items: list[JSON], **fields: Any
    ) -> httpx.Response:
        body = {"scriptId": script_id, "items": items, **fields}
        return self.request("POST", f"/{CHARACTER_KINDS[kind]}/batch", json=body)

    def batch(self, kind: str, script_id: int, items: list[JSON], **fields: Any) -> list[JSON]:
        """Many of a kind in one request; the created ones in item order."""
        created: list[JSON] = expect(self.try_batch(kind, script_id, items, **fields), 201)["items"]
        return created

    def try_read(self, kind: str, element_id: int) -> httpx.Response:
        return self.request("GET", f"/{CHARACTER_KINDS[kind]}/{element_id}")

    def read(self, kind: str, element_id: int) -> JSON:
        element: JSON = expect(self.try_read(kind, element_id), 200)
        return element

    def patch(self, kind: str, element_id: int, /, **changes: Any) -> httpx.Response:
        return self.request("PATCH", f"/{CHARACTER_KINDS[kind]}/{element_id}", json=changes)

    def delete(self, kind: str, element_id: int, /, **params: Any) -> httpx.Response:
        return self.request("DELETE", f"/{CHARACTER_KINDS[kind]}/{element_id}", params=params)

    def restore(self, kind: str, element_id: int, version: int, **params: Any) -> httpx.Response:
        path = f"/{CHARACTER_KINDS[kind]}/{element_id}/restore"
        return self.request("POST", path, params={"version": version, **params})

    def listing(self, kind: str, script_id: int, **filters: Any) -> list[JSON]:
        """The script's elements of a kind (``filters``: characterId, sectionId, speechId,
        keyword, name), in reading order as the service lists them."""
        page = self.get(f"/{CHARACTER_KINDS[kind]}", scriptId=script_id, limit=500, **filters)
        assert page["totalCount"] == len(page["items"])
        items: list[JSON] = page["items"]
        return items


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
    for a module's own helper of another service)."""

    http: httpx.Client
    sequence: SequenceApi
    scripts: ScriptsApi
    sessions: SessionsApi
    characters: CharactersApi

    def listing(self, kind: str, script_id: int) -> list[JSON]:
        """A kind's elements as the service that owns it lists them (either service)."""
        if kind in CHARACTER_KINDS:
            return self.characters.listing(kind, script_id)
        return self.scripts.listing(kind, script_id)

    def view(self, script_id: int) -> ScriptView:
        """The script, its reading order, its elements as both services list them, and each
        one's version count."""
        listings = {kind: self.listing(kind, script_id) for kind in LISTED_KINDS}
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
        """Scripts and Characters list exactly the elements of their kinds that Central Sequence
        orders, with their numbers there, in that order; returns the reading order."""
        order = self.sequence.reading_order(script_id)
        position = {ref: number for number, ref in enumerate(order, start=1)}
        listed: list[Ref] = [("script", script_id)]
        for kind in LISTED_KINDS:
            elements = self.listing(kind, script_id)
            numbers = [element["sequenceNumber"] for element in elements]
            refs = [ref_of(kind, element) for element in elements]
            assert numbers == [position.get(ref) for ref in refs], kind
            assert numbers == sorted(numbers), kind
            listed += refs
        owned = SCRIPTS_TYPES | CHARACTERS_TYPES
        assert sorted(listed) == sorted(ref for ref in order if ref[0] in owned)
        return order


@contextmanager
def acting_as(
    platform: StoryPlatform, account: str, *, token: str | None = None
) -> Iterator[Story]:
    """``account``'s view, with its login's token unless given another (e.g. stepped up)."""
    with platform.http(account, token=token) as http:
        yield Story(
            http=http,
            sequence=SequenceApi(http, platform.url(SEQUENCE.name)),
            scripts=ScriptsApi(http, platform.url(SCRIPTS.name)),
            sessions=SessionsApi(http, platform.url(SESSIONS.name)),
            characters=CharactersApi(http, platform.url(CHARACTERS.name)),
        )
