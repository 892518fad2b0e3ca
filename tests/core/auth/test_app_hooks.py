"""App factory hooks: root routers, lifespan hooks, and the default KMS-backed authenticator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from fountainai.core import LifespanHook, ServiceDefinition, ServiceSettings, create_service_app
from fountainai.core.auth import Authenticator, TokenVerifier
from tests.core.auth.helpers import ISSUER, FakeKms, SigningKey, active_key, api_key, mint
from tests.core.auth.helpers import jwks as jwks_of
from tests.core.auth.probe_app import DEFINITION, probe_settings

root = APIRouter()


@root.get("/.well-known/probe")
async def read_probe() -> dict[str, str]:
    return {"at": "root"}


def hooked(*hooks: LifespanHook) -> ServiceDefinition:
    return ServiceDefinition(
        name=DEFINITION.name,
        title=DEFINITION.title,
        description=DEFINITION.description,
        routers=DEFINITION.routers,
        root_routers=lambda: [root],
        lifespan_hooks=hooks,
    )


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=transport, base_url="http://probe.test") as client,
    ):
        yield client


async def test_hooks_run_in_order_inside_the_lifespan(tmp_path: Path) -> None:
    events: list[str] = []

    def hook(name: str) -> LifespanHook:
        @asynccontextmanager
        async def run(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
            assert app.state.engine is not None
            assert settings is app.state.settings
            events.append(f"enter {name}")

            async def check() -> None:
                return None

            app.state.readiness_checks[name] = check
            yield
            events.append(f"exit {name}")

        return run

    app = create_service_app(hooked(hook("a"), hook("b")), probe_settings(tmp_path))
    async with serving(app) as client:
        ready = await client.get("/health/ready")
        assert ready.json()["checks"] == {"database": "ok", "a": "ok", "b": "ok"}
        assert (await client.get("/.well-known/probe")).json() == {"at": "root"}
        assert (await client.get("/api/v1/.well-known/probe")).status_code == 404
    assert events == ["enter a", "enter b", "exit b", "exit a"]


async def test_a_hook_may_provide_the_authenticator(
    tmp_path: Path, verifier: TokenVerifier, key: SigningKey
) -> None:
    mine = Authenticator(verifier, None)

    @asynccontextmanager
    async def provide(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
        app.state.authenticator = mine
        yield

    app = create_service_app(hooked(provide), probe_settings(tmp_path))
    async with serving(app) as client:
        assert app.state.authenticator is mine
        response = await client.get(
            "/api/v1/read", headers={"Authorization": f"Bearer {mint(key)}"}
        )
        assert response.status_code == 200


async def test_the_default_authenticator_is_built_without_network_io(
    tmp_path: Path, fake_kms: FakeKms
) -> None:
    app = create_service_app(DEFINITION, probe_settings(tmp_path, kms_url=fake_kms.url))
    async with serving(app) as client:
        assert isinstance(app.state.authenticator, Authenticator)
        assert (await client.get("/api/v1/open")).status_code == 200
        assert (await client.get("/health/ready")).status_code == 200
        assert not fake_kms.hits
    assert app.state.authenticator is None


async def test_the_default_authenticator_talks_to_the_kms(
    tmp_path: Path, fake_kms: FakeKms
) -> None:
    key = SigningKey("2026-11")
    fake_kms.jwks = jwks_of(key)
    service_key = api_key()
    fake_kms.api_keys[service_key] = active_key("indexer", ["story:write"])
    settings = probe_settings(tmp_path, kms_url=fake_kms.url, auth_issuer=ISSUER)
    app = create_service_app(DEFINITION, settings)
    async with serving(app) as client:
        token = mint(key, roles=["writer"], scope="story:read story:write")
        for _ in range(3):
            user = await client.get("/api/v1/write", headers={"Authorization": f"Bearer {token}"})
            assert user.status_code == 200, user.text
        service = await client.get("/api/v1/write", headers={"X-API-Key": service_key})
        assert service.json()["actor"] == "service:indexer"
    assert fake_kms.hits == {
        "/.well-known/jwks.json": 1,
        "/api/v1/revocations": 1,
        "/api/v1/keys/introspect": 1,
    }


async def test_a_missing_authenticator_is_503_not_500(
    tmp_path: Path, verifier: TokenVerifier
) -> None:
    app = create_service_app(DEFINITION, probe_settings(tmp_path))
    app.state.authenticator = Authenticator(verifier, None)
    async with serving(app) as client:
        app.state.authenticator = None
        response = await client.get("/api/v1/read", headers={"Authorization": "Bearer x"})
    assert response.status_code == 503


def test_auth_settings_are_shared_and_unprefixed(monkeypatch: pytest.MonkeyPatch) -> None:
    class ProbeSettings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="FOUNTAIN_PROBE_")

    monkeypatch.setenv("FOUNTAIN_KMS_URL", "https://kms.internal:8443")
    monkeypatch.setenv("FOUNTAIN_AUTH_AUDIENCE", "stories")
    monkeypatch.setenv("FOUNTAIN_AUTH_REVOCATION_REFRESH_SECONDS", "2.5")
    settings = ProbeSettings()
    assert settings.kms_url == "https://kms.internal:8443"
    assert settings.auth_audience == "stories"
    assert settings.auth_revocation_refresh_seconds == 2.5
    assert settings.auth_issuer == "http://127.0.0.1:8003"


@pytest.mark.parametrize(
    "values",
    [
        {"kms_url": "file:///etc/passwd"},
        {"auth_revocation_refresh_seconds": 10, "auth_revocation_max_stale_seconds": 5},
        {"auth_leeway_seconds": 301},
        {"auth_jwks_refetch_seconds": 0},
    ],
)
def test_unsafe_auth_settings_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ServiceSettings(**values)  # type: ignore[arg-type]
