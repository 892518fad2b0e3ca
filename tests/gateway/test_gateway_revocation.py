"""Revocation across gateway replicas: the real KMS publishes a logout to the real Redis, and a
second gateway process refuses the token within a second — with its KMS feed refetched only
every minute, so Redis is the only way it could know."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from fountainai.services.kms.app import create_app as create_kms_app
from fountainai.services.kms.config import KmsSettings
from tests.gateway.conftest import REDIS_URL
from tests.gateway.harness import gateway_process, write_routes
from tests.support.platform import ServedApp

ISSUER = "http://kms.gateway.test"
ADMIN = {"username": "admin", "password": "a long enough passphrase"}


@pytest.fixture
async def kms(redis: object, tmp_path: Path) -> AsyncIterator[str]:
    """The real KMS under uvicorn, publishing revocations to the real Redis."""
    settings = KmsSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'kms.db'}",
        data_dir=tmp_path,
        auth_issuer=ISSUER,
        revocation_redis_url=REDIS_URL,
        argon2_time_cost=1,
        argon2_memory_kib=64,
        argon2_parallelism=1,
        log_level="WARNING",
    )
    server = ServedApp(create_kms_app(settings))
    await server.start()
    try:
        yield server.url
    finally:
        await server.stop()


@pytest.mark.integration
async def test_a_logout_through_one_gateway_stops_the_token_at_another_within_a_second(
    kms: str, tmp_path: Path
) -> None:
    routes = write_routes(
        tmp_path,
        [
            {
                "service": "kms",
                "targets": [kms],
                "access": [
                    {"path": "/api/v1/register", "methods": ["POST"], "public": True},
                    {"path": "/api/v1/login", "methods": ["POST"], "public": True},
                ],
            }
        ],
    )
    settings = {
        "FOUNTAIN_KMS_URL": kms,
        "FOUNTAIN_AUTH_ISSUER": ISSUER,
        "FOUNTAIN_GATEWAY_ROUTES_FILE": routes,
        "FOUNTAIN_GATEWAY_REDIS_URL": REDIS_URL,
        "FOUNTAIN_GATEWAY_REVOCATION_REFRESH_SECONDS": "60",
    }
    async with (
        gateway_process(settings, log_path=tmp_path / "a.log") as first_url,
        gateway_process(settings, log_path=tmp_path / "b.log") as second_url,
        httpx.AsyncClient(base_url=first_url, timeout=10) as first,
        httpx.AsyncClient(base_url=second_url, timeout=10) as second,
    ):
        registered = await first.post("/kms/api/v1/register", json={**ADMIN, "roles": "admin"})
        assert registered.status_code == 201, registered.text
        login = await first.post("/kms/api/v1/login", json=ADMIN)
        assert login.status_code == 200, login.text
        bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
        # Both replicas accept it (and remember "not revoked" for up to half a second).
        assert (await first.get("/secure-endpoint", headers=bearer)).status_code == 200
        assert (await second.get("/secure-endpoint", headers=bearer)).status_code == 200

        logout = await first.post("/kms/api/v1/logout", headers=bearer)
        assert logout.status_code == 204, logout.text
        logged_out = time.monotonic()
        status = 200
        while status == 200 and time.monotonic() - logged_out < 3:
            status = (await second.get("/secure-endpoint", headers=bearer)).status_code
        refused_after = time.monotonic() - logged_out
        assert status == 401
        assert refused_after < 1.0, f"refused only after {refused_after:.2f} s"
        assert (await first.get("/secure-endpoint", headers=bearer)).status_code == 401
