"""Who may do what, with real KMS tokens checked by each service on its own: readers read but
never write, a user's sessions are invisible to other users (404), admins see them all."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.story.api import JSON, Story, expect, problem
from tests.integration.story.platform import StoryPlatform
from tests.integration.story.screenplay import write_screenplay

pytestmark = pytest.mark.integration


def test_a_reader_reads_but_cannot_write(writer: Story, reader: Story) -> None:
    play = write_screenplay(writer, "Read only")
    before = writer.view(play.id)
    assert reader.view(play.id) == before

    reversed_order = [play.reading_order[0], *reversed(play.reading_order[1:])]
    refusals = {
        "create script": reader.scripts.request("POST", "/scripts", json={"title": "Mine"}),
        "create section": reader.scripts.try_create("section", play.id, kind="act"),
        "create markup": reader.scripts.try_create("markup", play.id, kind="note", text="x"),
        "patch script": reader.scripts.patch("script", play.id, title="Mine"),
        "patch section": reader.scripts.patch("section", play.kitchen["id"], title="Mine"),
        "delete transition": reader.scripts.delete("transition", play.cut["id"]),
        "restore section": reader.scripts.restore("section", play.kitchen["id"], 1),
        "reorder": reader.sequence.try_reorder(play.id, order=reversed_order),
        "allocate": reader.sequence.try_allocate(play.id, ("action", 920_001)),
        "create session": reader.sessions.try_create("My session"),
    }

    for action, refused in refusals.items():
        assert refused.status_code == 403, action
        problem(refused, 403)
    assert writer.view(play.id) == before
    assert reader.sessions.get("/sessions")["totalCount"] == 0


def test_without_a_token_every_service_answers_401(story: StoryPlatform) -> None:
    with httpx.Client(timeout=30, trust_env=False) as anonymous:
        for service, path in (
            ("scripts", "/scripts"),
            ("sessions", "/sessions"),
            ("sequence", "/sequence?scriptId=1"),
            ("characters", "/characters?scriptId=1"),
            ("characters", "/lines?scriptId=1"),
        ):
            answer = anonymous.get(f"{story.url(service)}/api/v1{path}")
            problem(answer, 401)
            assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def _same_problem(one: JSON, other: JSON) -> bool:
    """Equal but for where and when it was asked."""
    differ = {"instance", "request_id", "detail"}
    return {k: v for k, v in one.items() if k not in differ} == {
        k: v for k, v in other.items() if k not in differ
    }


def test_a_users_session_is_invisible_to_others_but_not_to_an_admin(
    story: StoryPlatform, writer: Story, other_writer: Story, admin: Story
) -> None:
    play = write_screenplay(writer, "Worked on")
    context = ["Act I imported", "commas, kept", "line\nbreaks too"]
    mine = expect(writer.sessions.try_create("Pass one", scriptId=play.id, context=context), 201)
    assert mine["owner"] == story.subjects["writer"]
    assert mine["context"] == context
    session = f"/sessions/{mine['id']}"

    hidden = problem(other_writer.sessions.try_read(mine["id"]), 404)
    missing = problem(other_writer.sessions.try_read(999_999), 404)
    assert _same_problem(hidden, missing)  # as if it did not exist
    problem(other_writer.sessions.request("PATCH", session, json={"title": "Taken"}), 404)
    taken = {"title": "Taken", "context": []}
    problem(other_writer.sessions.request("PUT", session, json=taken), 404)
    problem(other_writer.sessions.request("DELETE", session), 404)
    theirs = other_writer.sessions.get("/sessions", limit=500)["items"]
    assert mine["id"] not in [s["id"] for s in theirs]
    owner_filter = {"owner": story.subjects["writer"]}
    problem(other_writer.sessions.request("GET", "/sessions", params=owner_filter), 403)

    assert expect(admin.sessions.try_read(mine["id"]), 200) == mine
    everyone = admin.sessions.get("/sessions", owner=story.subjects["writer"], limit=500)
    assert mine in everyone["items"]
    assert expect(writer.sessions.try_read(mine["id"]), 200) == mine  # unchanged
