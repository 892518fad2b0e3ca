"""A scene's people through the real services: a character, an action, a speech of two lines."""

from __future__ import annotations

import httpx

from tests.services.scripts.support import API, json_of, reading_order


async def test_a_character_speaks_in_a_scene(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    script = await json_of(await scripts.post(f"{API}/scripts", json={"title": "T"}), 201)
    scene = await json_of(
        await scripts.post(f"{API}/scripts/{script['id']}/sections", json={"kind": "scene"}), 201
    )
    ids = {"scriptId": script["id"], "sectionId": scene["id"]}
    bob = await json_of(
        await client.post(f"{API}/characters", json={"scriptId": script["id"], "name": "BOB"}),
        201,
    )
    action = await json_of(
        await client.post(
            f"{API}/actions", json={**ids, "text": "Bob sits.", "characterId": bob["id"]}
        ),
        201,
    )
    first = await json_of(
        await client.post(f"{API}/lines", json={**ids, "characterId": bob["id"], "text": "Hi."}),
        201,
    )
    second = await json_of(
        await client.post(
            f"{API}/lines",
            json={
                **ids,
                "characterId": bob["id"],
                "text": "Bye.",
                "speechId": first["speechId"],
                "parenthetical": "beat",
                "extensions": ["V.O."],
            },
        ),
        201,
    )
    assert first["speechId"] == first["id"] == second["speechId"]
    assert await reading_order(sequence, script["id"]) == [
        ("script", script["id"]),
        ("section", scene["id"]),
        ("character", bob["id"]),
        ("action", action["id"]),
        ("spokenWord", first["id"]),
        ("spokenWord", second["id"]),
    ]
    lines = await json_of(await client.get(f"{API}/lines", params={"characterId": bob["id"]}), 200)
    assert [line["text"] for line in lines["items"]] == ["Hi.", "Bye."]
    clash = await client.post(f"{API}/characters", json={"scriptId": script["id"], "name": "bob"})
    assert clash.status_code == 409, clash.text


async def test_scripts_filtered_by_a_character_or_action_in_them(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    one = await json_of(await scripts.post(f"{API}/scripts", json={"title": "One"}), 201)
    two = await json_of(await scripts.post(f"{API}/scripts", json={"title": "Two"}), 201)
    ann = await json_of(
        await client.post(f"{API}/characters", json={"scriptId": two["id"], "name": "ANN"}), 201
    )
    action = await json_of(
        await client.post(f"{API}/actions", json={"scriptId": one["id"], "text": "Rain."}), 201
    )

    async def titles(**params: int) -> list[str]:
        page = await json_of(await scripts.get(f"{API}/scripts", params=params), 200)
        return [script["title"] for script in page["items"]]

    assert await titles(characterId=ann["id"]) == ["Two"]
    assert await titles(actionId=action["id"]) == ["One"]
    assert await titles(characterId=ann["id"], actionId=action["id"]) == []
    assert await titles(characterId=ann["id"] + 1000) == []
    assert sorted(await titles()) == ["One", "Two"]


async def test_a_script_with_characters_cannot_be_deleted_until_they_are(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, stepped_up_headers: dict[str, str]
) -> None:
    script = await json_of(await scripts.post(f"{API}/scripts", json={"title": "T"}), 201)
    ann = await json_of(
        await client.post(f"{API}/characters", json={"scriptId": script["id"], "name": "ANN"}),
        201,
    )
    url = f"{API}/scripts/{script['id']}"
    refused = await scripts.delete(url, params={"cascade": "true"}, headers=stepped_up_headers)
    assert refused.status_code == 409, refused.text
    assert "character" in refused.json()["detail"]
    assert (await scripts.get(url)).status_code == 200
    assert (await client.delete(f"{API}/characters/{ann['id']}")).status_code == 204
    deleted = await scripts.delete(url, params={"cascade": "true"}, headers=stepped_up_headers)
    assert deleted.status_code == 204, deleted.text
