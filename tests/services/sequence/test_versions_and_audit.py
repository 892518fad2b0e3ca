"""createVersion keeps real snapshots: list, read, diff. Every write is in the audit trail."""

from __future__ import annotations

import httpx

from tests.services.sequence.conftest import SEQUENCE, allocate

VERSION = f"{SEQUENCE}/version"


async def test_versions_are_numbered_per_element_and_keep_their_data(
    client: httpx.AsyncClient,
) -> None:
    await allocate(client, "spokenWord", 4, script_id=2)
    line = {"text": "O Romeo, Romeo!", "characterId": 2, "tags": ["balcony"]}
    first = await client.post(
        VERSION,
        json={
            "elementType": "spokenWord",
            "elementId": 4,
            "newVersionData": line,
            "comment": "before edit",
        },
    )
    assert first.status_code == 201
    assert first.json()["versionNumber"] == 1
    assert first.json()["scriptId"] == 2  # taken from the element's sequence
    edited = {**line, "text": "O Romeo, Romeo! wherefore art thou Romeo?"}
    second = await client.post(
        VERSION, json={"elementType": "spokenWord", "elementId": 4, "newVersionData": edited}
    )
    assert second.json()["versionNumber"] == 2
    other = await client.post(
        VERSION, json={"elementType": "action", "elementId": 4, "newVersionData": {"a": 1}}
    )
    assert other.json()["versionNumber"] == 1

    read = await client.get("/api/v1/versions/spokenWord/4/1")
    assert read.json()["data"] == line
    assert read.json()["comment"] == "before edit"
    listing = await client.get("/api/v1/versions/spokenWord/4")
    assert [v["versionNumber"] for v in listing.json()["items"]] == [2, 1]
    assert listing.json()["totalCount"] == 2


async def test_diff_is_a_json_patch_between_versions(client: httpx.AsyncClient) -> None:
    for data in ({"text": "a", "mood": "calm"}, {"text": "b"}, {"text": "b", "extra": [1]}):
        await client.post(
            VERSION, json={"elementType": "action", "elementId": 1, "newVersionData": data}
        )
    diff = await client.get("/api/v1/versions/action/1/2/diff")
    assert diff.status_code == 200
    assert sorted(diff.json()["patch"], key=lambda op: op["path"]) == [
        {"op": "remove", "path": "/mood"},
        {"op": "replace", "path": "/text", "value": "b"},
    ]
    against = await client.get("/api/v1/versions/action/1/3/diff", params={"against": 1})
    assert against.json()["fromVersion"] == 1
    assert len(against.json()["patch"]) == 3
    first = await client.get("/api/v1/versions/action/1/1/diff")
    assert first.json()["fromVersion"] == 0
    assert sorted(op["path"] for op in first.json()["patch"]) == ["/mood", "/text"]
    missing = await client.get("/api/v1/versions/action/1/9")
    assert missing.status_code == 404


async def test_version_with_wrong_script_is_rejected(client: httpx.AsyncClient) -> None:
    await allocate(client, "action", 1, script_id=1)
    response = await client.post(
        VERSION,
        json={"elementType": "action", "elementId": 1, "scriptId": 2, "newVersionData": {}},
    )
    assert response.status_code == 409
    assert (await client.get("/api/v1/versions/action/1")).json()["totalCount"] == 0


async def test_every_write_is_audited_with_its_comment_and_request_id(
    client: httpx.AsyncClient,
) -> None:
    await client.post(
        SEQUENCE,
        json={"elementType": "action", "elementId": 1, "scriptId": 1, "comment": "why one"},
        headers={"X-Request-ID": "req-audit-1"},
    )
    await client.post(
        f"{SEQUENCE}/batch",
        json={"scriptId": 1, "elements": [{"elementType": "note", "elementId": 1}], "comment": "b"},
    )
    await client.put(
        f"{SEQUENCE}/reorder",
        json={"scriptId": 1, "move": {"fromSequence": 2, "count": 1, "toSequence": 1}},
    )
    await client.post(
        f"{SEQUENCE}/version",
        json={"elementType": "note", "elementId": 1, "newVersionData": {}, "comment": "v"},
    )
    await client.delete(f"{SEQUENCE}/note/1", params={"comment": "gone"})
    entries = (await client.get("/api/v1/audit", params={"scriptId": 1})).json()["items"]
    assert [e["action"] for e in entries] == [
        "remove",
        "createVersion",
        "reorder",
        "allocateBatch",
        "allocate",
    ]
    assert [e["comment"] for e in entries] == ["gone", "v", "", "b", "why one"]
    assert entries[-1]["requestId"] == "req-audit-1"
    assert entries[0]["occurredAt"].endswith("Z")
