"""``fountain kms signing-keys | rotate-signing-key | revoke-signing-key`` on the real database."""

from __future__ import annotations

import asyncio

import httpx
from asgi_lifespan import LifespanManager

from fountainai.services.kms.app import create_app
from tests.cli.conftest import Env, invoke, settings_of
from tests.services.kms.conftest import bearer, mint_token


def states(env: Env) -> dict[str, str]:
    """kid -> state, from the listing's table rows."""
    result = invoke(["kms", "signing-keys"], env)
    assert result.exit_code == 0, result.stderr
    rows = [line.split("│")[1:-1] for line in result.stdout.splitlines() if line.count("│") >= 4]
    return {cells[0].strip(): cells[1].strip() for cells in rows if cells[0].strip() != "kid"}


def audit_and_jwks_with_a_token(env: Env, *, token: str | None) -> tuple[int, str, list[str]]:
    """Through a real KMS app on the same database: GET /audit as admin, and the JWKS kids."""

    async def main() -> tuple[int, str, list[str]]:
        application = create_app(settings_of(env))
        async with LifespanManager(application):
            admin = token or await mint_token(application, roles=["admin"])
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://kms.test") as c:
                audit = await c.get("/api/v1/audit", headers=bearer(admin))
                jwks = (await c.get("/.well-known/jwks.json")).json()
        return audit.status_code, admin, [key["kid"] for key in jwks["keys"]]

    return asyncio.run(main())


def test_rotate_publishes_first_and_revoke_kills_tokens_at_once(kms_env: Env) -> None:
    status, token, kids = audit_and_jwks_with_a_token(kms_env, token=None)  # first key made
    assert status == 200
    (first,) = kids
    assert states(kms_env) == {first: "signing"}

    rotated = invoke(["kms", "rotate-signing-key", "--lead", "600"], kms_env)
    assert rotated.exit_code == 0, rotated.stderr
    listed = states(kms_env)
    (new,) = set(listed) - {first}
    assert listed == {first: "signing", new: "next"}
    status, _, kids = audit_and_jwks_with_a_token(kms_env, token=token)
    assert status == 200
    assert set(kids) == {first, new}  # published before it signs

    revoked = invoke(["kms", "revoke-signing-key", "--", first], kms_env)
    assert revoked.exit_code == 0, revoked.stderr
    status, _, kids = audit_and_jwks_with_a_token(kms_env, token=token)
    assert status == 401  # the token signed by the revoked key
    assert first not in kids
    listed = states(kms_env)
    assert first not in listed
    assert "signing" in listed.values()  # a fresh key signs at once

    again = invoke(["kms", "revoke-signing-key", "--", first], kms_env)
    assert again.exit_code == 1
    assert "no live signing key" in again.stderr
