"""Registration: the seed's bootstrap once, then reader self-service or an admin's grant."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI

from fountainai.services.kms.config import KmsSettings
from tests.services.kms.account_factories import (
    SEED,
    audit_rows,
    bootstrap_admin,
    fullwidth,
    kms_app,
    register,
    tokens,
)
from tests.services.kms.conftest import API, bearer, mint_token


async def test_the_seed_body_bootstraps_the_first_admin_at_the_root_path(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    response = await client.post("/register", json=SEED)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["username"] == "admin"
    assert body["roles"] == ["admin"]
    assert set(body) == {"id", "username", "roles", "disabled", "createdAt"}
    assert datetime.fromisoformat(body["createdAt"]).tzinfo is not None
    (event,) = await audit_rows(app, "register")
    assert event.details == {"username": "admin", "roles": ["admin"], "via": "bootstrap"}
    assert event.actor == "admin"
    assert event.target == body["id"]


async def test_the_seed_body_works_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    await register(client, "admin", "secure123", roles="admin")

    again = await client.post(f"{API}/register", json={**SEED, "username": "root"})

    assert again.status_code == 403
    assert again.headers["content-type"] == "application/problem+json"
    refused = [e for e in await audit_rows(app, "register") if e.outcome == "failure"]
    assert [e.details["reason"] for e in refused] == ["rolesNotAllowed"]


async def test_bootstrap_works_even_when_self_registration_is_closed(
    settings: KmsSettings,
) -> None:
    async with kms_app(settings.model_copy(update={"self_registration": "closed"})) as (_, c):
        await register(c, "admin", "secure123", roles="admin")
        await register(c, "someone", expect=403)


async def test_concurrent_bootstraps_make_exactly_one_admin(settings: KmsSettings) -> None:
    """Two app instances (two engines, like two workers) race for the first account."""
    async with kms_app(settings) as (_, first), kms_app(settings) as (app, second):
        results = await asyncio.gather(
            first.post(f"{API}/register", json=SEED),
            second.post(f"{API}/register", json={**SEED, "username": "admin2"}),
            first.post(f"{API}/register", json={**SEED, "username": "admin3"}),
        )
        statuses = sorted(r.status_code for r in results)
        assert statuses == [201, 403, 403], [r.text for r in results]
        admin = bearer((await tokens(second, *_winner(results)))["access_token"])
        listed = await second.get(f"{API}/users", headers=admin)
        assert [u["roles"] for u in listed.json()["items"]] == [["admin"]]
        assert len(await audit_rows(app, "register")) == 3


def _winner(results: Sequence[httpx.Response]) -> tuple[str, str]:
    (created,) = [r for r in results if r.status_code == 201]
    return created.json()["username"], SEED["password"]


async def test_self_registration_gives_reader(client: httpx.AsyncClient) -> None:
    await bootstrap_admin(client)

    plain = await register(client, "alice")
    explicit = await register(client, "bob", roles=["reader"])

    assert plain["roles"] == explicit["roles"] == ["reader"]


@pytest.mark.parametrize(
    "roles", [["admin"], ["writer"], ["reader", "writer"], "admin", "reader,admin"]
)
async def test_asking_for_more_than_reader_after_bootstrap_is_403(
    client: httpx.AsyncClient, roles: list[str] | str
) -> None:
    await bootstrap_admin(client)

    await register(client, "mallory", roles=roles, expect=403)

    assert (
        await client.post(f"{API}/login", json={"username": "mallory", "password": "x"})
    ).status_code == 401


async def test_a_reader_cannot_grant_roles(client: httpx.AsyncClient) -> None:
    admin = await bootstrap_admin(client)
    await register(client, "alice")
    reader = bearer((await tokens(client, "alice"))["access_token"])

    await register(client, "mallory", roles=["writer"], headers=reader, expect=403)
    await register(client, "bob", roles=["writer"], headers=admin)


async def test_closed_self_registration_needs_an_admin(settings: KmsSettings) -> None:
    async with kms_app(settings.model_copy(update={"self_registration": "closed"})) as (_, c):
        admin = await bootstrap_admin(c)

        refused = await c.post(f"{API}/register", json={"username": "alice", "password": "p" * 12})
        created = await register(c, "alice", roles=["writer", "reader"], headers=admin)

        assert refused.status_code == 403
        assert "closed" in refused.json()["detail"]
        assert created["roles"] == ["reader", "writer"]


async def test_an_admin_grants_any_roles(client: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await bootstrap_admin(client)

    writer = await register(client, "w", roles=["writer"], headers=admin, expect=422)
    writer = await register(client, "writer1", roles="writer,reader", headers=admin)
    second_admin = await register(client, "root2", roles=["admin"], headers=admin)

    assert writer["roles"] == ["reader", "writer"]
    assert second_admin["roles"] == ["admin"]
    created = [e for e in await audit_rows(app, "register") if e.outcome == "success"]
    assert [e.details["via"] for e in created] == ["bootstrap", "admin", "admin"]
    assert [e.actor for e in created] == ["admin", "admin", "admin"]


async def test_an_invalid_bearer_is_401_not_anonymous(client: httpx.AsyncClient) -> None:
    await bootstrap_admin(client)

    response = await client.post(
        f"{API}/register",
        json={"username": "alice", "password": "p" * 12},
        headers=bearer("not.a.token"),
    )

    assert response.status_code == 401


@pytest.mark.parametrize(
    "username",
    ["Admin", fullwidth("ADMIN"), fullwidth("admin"), "ADMIN ", "  admin", "admin\u3000"],
)
async def test_confusable_usernames_collide(client: httpx.AsyncClient, username: str) -> None:
    admin = await bootstrap_admin(client)

    response = await client.post(
        f"{API}/register", json={"username": username, "password": "p" * 12}, headers=admin
    )

    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "username",
    [
        "ab",
        "a" * 65,
        "ad min",
        "ad\tmin",
        "ad\nmin",
        "admin\u200b",
        "-admin",
        "\u0430dmin",  # Cyrillic a: a homoglyph NFKC does not fold
        "admin;--",
        "",
    ],
)
async def test_usernames_outside_the_pattern_are_422(
    client: httpx.AsyncClient, username: str
) -> None:
    response = await client.post(
        f"{API}/register", json={"username": username, "password": "p" * 12}
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "username"]


async def test_usernames_are_stored_canonical(client: httpx.AsyncClient) -> None:
    created = await register(client, fullwidth("John") + ".Doe@Example")

    assert created["username"] == "john.doe@example"
    await tokens(client, "JOHN.DOE@EXAMPLE")


@pytest.mark.parametrize("password", ["short", "1234567", "", "x" * 1025])
async def test_bad_passwords_are_422(client: httpx.AsyncClient, password: str) -> None:
    await register(client, "alice", password, expect=422)


async def test_passwords_are_nfkc_normalized(client: httpx.AsyncClient) -> None:
    await register(client, "alice", fullwidth("password123"))

    await tokens(client, "alice", "password123")


async def test_a_minted_admin_without_an_account_may_create_accounts(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = bearer(await mint_token(app, roles=["admin"], username="root"))

    created = await register(client, "ops", roles=["admin"], headers=admin)

    assert created["roles"] == ["admin"]


async def test_a_nul_in_a_username_is_422_for_the_whole_body(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/register", json={"username": "ad\x00min", "password": "p" * 12}
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body"]
