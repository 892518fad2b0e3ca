"""Lines: spoken by a character of the script, grouped in speeches (the id of the line that
started one); parentheticals, extensions and dual dialogue kept; listed with filters."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.services.characters.support import (
    Json,
    create_character,
    create_line,
    items,
    row_counts,
    stage,
)
from tests.services.scripts.support import API, create_section, json_of, reading_order


def ids(found: list[Json]) -> list[int]:
    return [int(line["id"]) for line in found]


async def test_a_new_line_starts_its_own_speech_and_others_continue_it(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    ann = await create_character(client, at.script, "ANN")
    first = await create_line(client, at.script, bob["id"], "Hi.", sectionId=at.scene)
    assert first["speechId"] == first["id"]
    second = await create_line(client, at.script, bob["id"], "Bye.", speechId=first["speechId"])
    assert (second["speechId"], second["sectionId"]) == (first["id"], None)
    answer = await create_line(client, at.script, ann["id"], "Wait.")
    assert answer["speechId"] == answer["id"] != first["id"]
    # A new speech of the same speaker starts when no speechId is given.
    again = await create_line(client, at.script, bob["id"], "No.")
    assert again["speechId"] == again["id"]
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("section", at.scene),
        ("character", bob["id"]),
        ("character", ann["id"]),
        *(("spokenWord", line["id"]) for line in (first, second, answer, again)),
    ]
    got = await json_of(await client.get(f"{API}/lines/{second['id']}"), 200)
    assert got == second


async def test_a_speech_of_another_character_or_script_is_422(
    app: FastAPI, client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    other = await stage(scripts, "Other")
    bob = await create_character(client, at.script, "BOB")
    ann = await create_character(client, at.script, "ANN")
    otto = await create_character(client, other.script, "BOB")
    bobs = await create_line(client, at.script, bob["id"])
    continued = await create_line(client, at.script, bob["id"], "More.", speechId=bobs["id"])
    ottos = await create_line(client, other.script, otto["id"])
    anns = await create_line(client, at.script, ann["id"])
    before = await row_counts(app)

    for body in (
        {"characterId": ann["id"], "speechId": bobs["id"]},  # Bob's speech
        {"characterId": bob["id"], "speechId": ottos["id"]},  # another script's speech
        {"characterId": bob["id"], "speechId": continued["id"]},  # a line, not a speech
        {"characterId": bob["id"], "speechId": 999_999},
        {"characterId": otto["id"]},  # a character of another script
    ):
        response = await client.post(
            f"{API}/lines", json={"scriptId": at.script, "text": "x", **body}
        )
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["field"] in ("speechId", "characterId")
    # Moving a line into another's speech, or giving a speech's line another speaker.
    for line, body in (
        (anns, {"speechId": bobs["id"]}),
        (continued, {"characterId": ann["id"]}),
        (bobs, {"characterId": ann["id"]}),  # Bob still speaks the rest of it
        (anns, {"characterId": otto["id"]}),
    ):
        response = await client.patch(f"{API}/lines/{line['id']}", json=body)
        assert response.status_code == 422, (body, response.text)
    assert await row_counts(app) == before

    # Both lines of a speech move to another speaker together: first the continuation
    # leaves (a speech of its own), then each changes speaker.
    alone = await json_of(
        await client.patch(f"{API}/lines/{continued['id']}", json={"speechId": continued["id"]}),
        200,
    )
    assert alone["speechId"] == continued["id"]
    moved = await json_of(
        await client.patch(f"{API}/lines/{bobs['id']}", json={"characterId": ann["id"]}), 200
    )
    assert (moved["characterId"], moved["speechId"]) == (ann["id"], bobs["id"])
    joined = await json_of(
        await client.patch(
            f"{API}/lines/{continued['id']}",
            json={"speechId": bobs["id"], "characterId": ann["id"]},
        ),
        200,
    )
    assert (joined["characterId"], joined["speechId"]) == (ann["id"], bobs["id"])


async def test_a_line_left_alone_in_its_speech_keeps_it_and_may_change_speaker(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    ann = await create_character(client, at.script, "ANN")
    first = await create_line(client, at.script, bob["id"], "One.")
    second = await create_line(client, at.script, bob["id"], "Two.", speechId=first["id"])
    assert (await client.delete(f"{API}/lines/{first['id']}")).status_code == 204
    url = f"{API}/lines/{second['id']}"
    text = await json_of(await client.patch(url, json={"text": "Only."}), 200)
    assert text["speechId"] == first["id"]
    # Its speech is still there (it is in it): a new speaker for the whole speech is fine.
    moved = await json_of(await client.patch(url, json={"characterId": ann["id"]}), 200)
    assert (moved["characterId"], moved["speechId"]) == (ann["id"], first["id"])
    # And a new line may continue it.
    more = await create_line(client, at.script, ann["id"], "More.", speechId=first["id"])
    assert more["speechId"] == first["id"]
    refused = await client.post(
        f"{API}/lines",
        json={
            "scriptId": at.script,
            "characterId": bob["id"],
            "text": "x",
            "speechId": first["id"],
        },
    )
    assert refused.status_code == 422, refused.text


async def test_parenthetical_extensions_and_dual_round_trip(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient, sequence: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    text = "We're not going back.\nNot now — not ever. ✋"
    line = await create_line(
        client,
        at.script,
        bob["id"],
        text,
        parenthetical="quietly, then louder",
        extensions=["V.O.", "CONT'D"],
        dual=True,
    )
    assert (line["text"], line["parenthetical"]) == (text, "quietly, then louder")
    assert (line["extensions"], line["dual"]) == (["V.O.", "CONT'D"], True)
    url = f"{API}/lines/{line['id']}"
    assert await json_of(await client.get(url), 200) == line
    plain = await create_line(client, at.script, bob["id"])
    assert (plain["parenthetical"], plain["extensions"], plain["dual"]) == ("", [], False)

    patched = await json_of(await client.patch(url, json={"extensions": ["O.S."]}), 200)
    assert (patched["extensions"], patched["parenthetical"], patched["dual"]) == (
        ["O.S."],
        "quietly, then louder",
        True,
    )
    cleared = await json_of(
        await client.patch(url, json={"parenthetical": "", "extensions": [], "dual": False}), 200
    )
    assert (cleared["parenthetical"], cleared["extensions"], cleared["dual"]) == ("", [], False)
    assert cleared["text"] == text
    for nulled in ("characterId", "text", "speechId", "parenthetical", "extensions", "dual"):
        response = await client.patch(url, json={nulled: None})
        assert response.status_code == 422, (nulled, response.text)
    first = await json_of(await sequence.get(f"{API}/versions/spokenWord/{line['id']}/1"), 200)
    assert first["data"] == {
        "sectionId": None,
        "characterId": bob["id"],
        "speechId": line["id"],
        "text": text,
        "parenthetical": "quietly, then louder",
        "extensions": ["V.O.", "CONT'D"],
        "dual": True,
    }


async def test_list_lines_by_script_character_section_speech_and_keyword(
    client: httpx.AsyncClient, scripts: httpx.AsyncClient
) -> None:
    at = await stage(scripts)
    other = await stage(scripts, "Other")
    second_scene = await create_section(scripts, at.script)
    bob = await create_character(client, at.script, "BOB")
    ann = await create_character(client, at.script, "ANN")
    otto = await create_character(client, other.script, "OTTO")
    hello = await create_line(client, at.script, bob["id"], "Hello, ANN.", sectionId=at.scene)
    percent = await create_line(
        client, at.script, bob["id"], "It is 100% done.", speechId=hello["id"], sectionId=at.scene
    )
    snake = await create_line(
        client, at.script, ann["id"], "Use snake_case.", sectionId=second_scene["id"]
    )
    slash = await create_line(client, at.script, ann["id"], r"A back\slash; hello again.")
    # Inserted before all of them (after the characters): reading order, not ids, sorts.
    opening = await create_line(client, at.script, ann["id"], "First!", position=6)
    await create_line(client, other.script, otto["id"], "Hello elsewhere.")

    everything = [opening["id"], hello["id"], percent["id"], snake["id"], slash["id"]]
    assert ids(await items(client, "/lines", scriptId=at.script)) == everything
    # A character alone names the script.
    assert ids(await items(client, "/lines", characterId=bob["id"])) == [hello["id"], percent["id"]]
    assert ids(await items(client, "/lines", characterId=ann["id"])) == [
        opening["id"],
        snake["id"],
        slash["id"],
    ]
    assert ids(await items(client, "/lines", scriptId=at.script, sectionId=at.scene)) == [
        hello["id"],
        percent["id"],
    ]
    assert ids(
        await items(client, "/lines", characterId=ann["id"], sectionId=second_scene["id"])
    ) == [snake["id"]]
    assert ids(await items(client, "/lines", scriptId=at.script, speechId=hello["id"])) == [
        hello["id"],
        percent["id"],
    ]
    assert ids(await items(client, "/lines", characterId=bob["id"], speechId=snake["id"])) == []

    async def matching(keyword: str) -> list[int]:
        return ids(await items(client, "/lines", scriptId=at.script, keyword=keyword))

    assert await matching("HELLO") == [hello["id"], slash["id"]]
    assert await matching("hello, ann") == [hello["id"]]
    assert await matching("%") == [percent["id"]]
    assert await matching("100%") == [percent["id"]]
    assert await matching("_") == [snake["id"]]
    assert await matching("e_c") == [snake["id"]]
    assert await matching("k\\s") == [slash["id"]]
    assert await matching("\\") == [slash["id"]]
    assert await matching("h%o") == []
    assert await matching("h_llo") == []
    assert ids(await items(client, "/lines", characterId=ann["id"], keyword="AGAIN")) == [
        slash["id"]
    ]

    page = await json_of(
        await client.get(f"{API}/lines", params={"scriptId": at.script, "limit": 2, "offset": 2}),
        200,
    )
    assert (ids(page["items"]), page["totalCount"]) == ([percent["id"], snake["id"]], 5)
    assert (page["limit"], page["offset"]) == (2, 2)
    beyond = await json_of(
        await client.get(f"{API}/lines", params={"scriptId": at.script, "offset": 9}), 200
    )
    assert (beyond["items"], beyond["totalCount"]) == ([], 5)

    assert (await client.get(f"{API}/lines")).status_code == 422
    assert (await client.get(f"{API}/lines", params={"speechId": hello["id"]})).status_code == 422
    for params in ({"scriptId": 99_999}, {"characterId": 99_999}):
        response = await client.get(f"{API}/lines", params=params)
        assert response.status_code == 404, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def test_delete_a_line_closes_the_gap(
    app: FastAPI,
    client: httpx.AsyncClient,
    scripts: httpx.AsyncClient,
    sequence: httpx.AsyncClient,
) -> None:
    at = await stage(scripts)
    bob = await create_character(client, at.script, "BOB")
    first = await create_line(client, at.script, bob["id"], "One.")
    second = await create_line(client, at.script, bob["id"], "Two.")
    assert second["sequenceNumber"] == 5
    assert (await client.delete(f"{API}/lines/{first['id']}")).status_code == 204
    assert (await client.get(f"{API}/lines/{first['id']}")).status_code == 404
    got = await json_of(await client.get(f"{API}/lines/{second['id']}"), 200)
    assert got["sequenceNumber"] == 4
    assert (await row_counts(app))["lines"] == 1
    assert await reading_order(sequence, at.script) == [
        ("script", at.script),
        ("section", at.scene),
        ("character", bob["id"]),
        ("spokenWord", second["id"]),
    ]
