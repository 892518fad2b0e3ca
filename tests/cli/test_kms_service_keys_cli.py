"""``fountain kms create-service-key``: the only way to an mfa:assert key, on the real database."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from fountainai.cli.kms_database import provision_service_key
from fountainai.services.kms.app import create_app
from tests.cli.conftest import Env, invoke, settings_of


def introspect_all(env: Env, *keys: str) -> list[dict[str, Any]]:
    """Through a real KMS app on the same database."""

    async def main() -> list[dict[str, Any]]:
        application = create_app(settings_of(env))
        async with LifespanManager(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://kms.test") as c:
                answers = [
                    await c.post("/api/v1/keys/introspect", json={"apiKey": key}) for key in keys
                ]
        return [answer.json() for answer in answers]

    return asyncio.run(main())


def test_create_service_key_prints_the_key_once_and_the_next_retires_it(kms_env: Env) -> None:
    first = invoke(["kms", "create-service-key", "twofa", "--scope", "mfa:assert"], kms_env)
    assert first.exit_code == 0, first.stderr
    first_key = first.stdout.strip().splitlines()[-1]
    assert first_key.startswith("fai_")
    assert first.stdout.count(first_key) == 1

    second = invoke(
        ["kms", "create-service-key", "twofa", "-s", "mfa:assert", "-s", "story:read"], kms_env
    )
    assert second.exit_code == 0, second.stderr
    second_key = second.stdout.strip().splitlines()[-1]

    old, new = introspect_all(kms_env, first_key, second_key)
    assert old == {"active": False}
    assert (new["active"], new["serviceName"], new["scopes"]) == (
        True,
        "twofa",
        ["mfa:assert", "story:read"],
    )


def test_provision_service_key_is_what_fountain_up_calls(kms_env: Env) -> None:
    key = provision_service_key(settings_of(kms_env), "twofa", ["mfa:assert"])

    (answer,) = introspect_all(kms_env, key)
    assert answer["scopes"] == ["mfa:assert"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["twofa", "--scope", "mfa:everything"], "scopes must be"),
        (["Two_FA", "--scope", "mfa:assert"], "not a service name"),
    ],
)
def test_bad_names_and_scopes_are_errors_before_anything_is_written(
    kms_env: Env, args: list[str], message: str
) -> None:
    result = invoke(["kms", "create-service-key", *args], kms_env)

    assert result.exit_code == 1
    assert message in result.stderr
    if "FOUNTAIN_KMS_DATABASE_URL" not in kms_env:
        assert not (settings_of(kms_env).data_dir / "kms.db").exists()


def test_a_scope_is_required(kms_env: Env) -> None:
    assert invoke(["kms", "create-service-key", "twofa"], kms_env).exit_code == 2
