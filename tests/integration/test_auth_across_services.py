"""What the KMS decides reaches the other services: logouts, revoked keys, API keys.

Real processes: the KMS and the sequence service under uvicorn; sequence learns revocations
from the KMS's feed and checks API keys with its introspection, over HTTP.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import SEED_ADMIN, Platform, running_platform
from tests.integration.two_factor import (
    TwoFactorPlatform,
    running_two_factor_platform,
    stepped_up,
    two_factor_env,
)

pytestmark = pytest.mark.integration
PROPAGATION_SECONDS = 0.3  # the services' refresh/cache intervals in this test
SCRIPT = {"elementType": "script", "elementId": 1}


@pytest.fixture
def platform(database_url: str, tmp_path: Path) -> Iterator[Platform]:
    env = {
        **os.environ,
        "FOUNTAIN_DATA_DIR": str(tmp_path),
        "FOUNTAIN_KMS_DATABASE_URL": database_url,
        "FOUNTAIN_SEQUENCE_DATABASE_URL": database_url,
        "FOUNTAIN_AUTH_REVOCATION_REFRESH_SECONDS": str(PROPAGATION_SECONDS),
        "FOUNTAIN_AUTH_API_KEY_CACHE_SECONDS": str(PROPAGATION_SECONDS),
    }
    with running_platform(env, tmp_path) as running:
        yield running


@pytest.fixture
def two_factor(database_url: str, tmp_path: Path) -> Iterator[TwoFactorPlatform]:
    """The same, plus the 2FA service: revoking a key needs a stepped-up admin."""
    propagation = {
        "FOUNTAIN_AUTH_REVOCATION_REFRESH_SECONDS": str(PROPAGATION_SECONDS),
        "FOUNTAIN_AUTH_API_KEY_CACHE_SECONDS": str(PROPAGATION_SECONDS),
    }
    env = two_factor_env(database_url, tmp_path, **propagation)
    with running_two_factor_platform(env, tmp_path) as running:
        yield running


def eventually_status(http: httpx.Client, url: str, expected: int, **kwargs: object) -> int:
    """The status once the services' caches have had time to learn of the change."""
    deadline = time.monotonic() + 10 * PROPAGATION_SECONDS + 5
    status = -1
    while time.monotonic() < deadline:
        status = http.get(url, **kwargs).status_code  # type: ignore[arg-type]
        if status == expected:
            return status
        time.sleep(PROPAGATION_SECONDS / 2)
    return status


def test_logout_and_logout_everywhere_reach_the_sequence_service(platform: Platform) -> None:
    listing = f"{platform.sequence}/api/v1/sequence?scriptId=1"
    with httpx.Client(timeout=30, trust_env=False) as http:
        first = http.post(f"{platform.kms}/api/v1/login", json=SEED_ADMIN).json()
        second = http.post(f"{platform.kms}/api/v1/login", json=SEED_ADMIN).json()
        auth_first = {"Authorization": f"Bearer {first['access_token']}"}
        auth_second = {"Authorization": f"Bearer {second['access_token']}"}
        assert http.get(listing, headers=auth_first).status_code == 200

        logout = http.post(
            f"{platform.kms}/api/v1/logout",
            json={"refresh_token": first["refresh_token"]},
            headers=auth_first,
        )
        assert logout.status_code == 204
        assert eventually_status(http, listing, 401, headers=auth_first) == 401
        assert http.get(listing, headers=auth_second).status_code == 200  # another session

        time.sleep(1.1)  # not-before has second resolution: a token from an earlier second
        everywhere = http.post(f"{platform.kms}/api/v1/logout/all", headers=auth_second)
        assert everywhere.status_code == 204
        assert eventually_status(http, listing, 401, headers=auth_second) == 401
        refreshed = http.post(
            f"{platform.kms}/api/v1/token/refresh",
            json={"refresh_token": second["refresh_token"]},
        )
        assert refreshed.status_code == 401


def test_api_keys_work_on_the_sequence_service_until_revoked(two_factor: TwoFactorPlatform) -> None:
    platform = two_factor
    url = f"{platform.sequence}/api/v1/sequence"
    admin_auth = {"Authorization": f"Bearer {stepped_up(platform, platform.token)}"}
    with httpx.Client(timeout=30, trust_env=False, headers=admin_auth) as admin:
        created = admin.post(
            f"{platform.kms}/api/v1/keys",
            json={"serviceName": "importer", "scopes": ["story:read", "story:write"]},
        )
        assert created.status_code == 201, created.text
        api_key = created.json()["apiKey"]
    key_auth = {"X-API-Key": api_key}
    with httpx.Client(timeout=30, trust_env=False) as http:
        assert http.post(url, json=SCRIPT, headers=key_auth).status_code == 201
        flipped = api_key[:-1] + ("A" if api_key[-1] != "A" else "B")
        assert http.get(f"{url}?scriptId=1", headers={"X-API-Key": flipped}).status_code == 401
        bearer_key = {"Authorization": f"Bearer {api_key}"}
        assert http.get(f"{url}?scriptId=1", headers=bearer_key).status_code == 200

        revoked = http.delete(f"{platform.kms}/api/v1/keys/importer", headers=admin_auth)
        assert revoked.status_code == 204
        assert eventually_status(http, f"{url}?scriptId=1", 401, headers=key_auth) == 401
