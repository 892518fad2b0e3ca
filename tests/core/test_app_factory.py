"""The app factory's cross-cutting behaviour, on a minimal service built for the test."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI
from sqlalchemy.exc import IntegrityError, OperationalError

from fountainai.core import NotFound, ServiceDefinition, ServiceSettings, create_service_app

router = APIRouter()


@router.get("/boom")
async def boom() -> None:
    raise RuntimeError("password=hunter2 at /srv/secret/internal.py")


@router.get("/missing")
async def missing() -> None:
    raise NotFound("no such scene", extra={"sceneId": 9})


@router.get("/query-bug")
async def query_bug() -> None:
    raise IntegrityError("INSERT INTO t VALUES (1)", {}, Exception("duplicate key"))


@router.get("/db-down")
async def db_down() -> None:
    raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))


@router.get("/items/{item_id}")
async def read_item(item_id: int) -> dict[str, int]:
    return {"itemId": item_id}


DEFINITION = ServiceDefinition(
    name="probe", title="Probe", description="test service", routers=lambda: [router]
)


class ProbeSettings(ServiceSettings):
    pass


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = ProbeSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'probe.db'}")
    application = create_service_app(DEFINITION, settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe.test") as c:
        yield c


async def test_request_id_is_created_echoed_and_in_every_log_line(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    given = await client.get("/api/v1/items/1", headers={"X-Request-ID": "abc-123.X"})
    assert given.headers["x-request-id"] == "abc-123.X"
    created = await client.get("/api/v1/items/2")
    assert len(created.headers["x-request-id"]) == 32
    access: list[dict[str, Any]] = [
        r.msg for r in caplog.records if r.name == "fountainai.access" and isinstance(r.msg, dict)
    ]
    assert access[0]["request_id"] == "abc-123.X"
    assert access[0]["route"] == "/api/v1/items/{item_id}"
    assert access[1]["request_id"] == created.headers["x-request-id"]


@pytest.mark.parametrize("hostile", ["a" * 200, "bad id with spaces", "x\u00e9"])
async def test_unsafe_request_ids_are_replaced(client: httpx.AsyncClient, hostile: str) -> None:
    response = await client.get(
        "/api/v1/items/1", headers=[(b"X-Request-ID", hostile.encode("utf-8"))]
    )
    assert response.headers["x-request-id"] != hostile
    assert len(response.headers["x-request-id"]) == 32


async def test_unhandled_error_is_a_500_problem_without_internals(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.get("/api/v1/boom", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "req-500"
    body = response.text
    for leak in ("hunter2", "Traceback", "RuntimeError", "/srv/secret", ".py"):
        assert leak not in body
    assert response.json()["request_id"] == "req-500"
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert logged, "the 500 must be logged with its stack"
    assert logged[0].exc_info is not None


async def test_app_errors_render_as_problem_json_with_extensions(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/missing")
    assert response.status_code == 404
    assert response.json() == {
        "type": "https://fountain.coach/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "no such scene",
        "instance": "/api/v1/missing",
        "request_id": response.headers["x-request-id"],
        "sceneId": 9,
    }


async def test_method_not_allowed_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/v1/items/1")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


async def test_security_headers_on_every_answer(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/items/1", "/api/v1/missing", "/health/live"):
        headers = (await client.get(path)).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "strict-transport-security" not in headers


async def test_metrics_count_by_route_template(client: httpx.AsyncClient) -> None:
    for item in range(3):
        await client.get(f"/api/v1/items/{item + 1}")
    await client.get("/nowhere/at/all")
    text = (await client.get("/metrics")).text
    assert (
        'http_requests_total{method="GET",route="/api/v1/items/{item_id}",status="200"} 3.0' in text
    )
    assert 'route="<unmatched>"' in text
    assert "/nowhere" not in text
    assert "http_request_duration_seconds_bucket" in text
    assert "http_requests_in_flight" in text


async def test_openapi_documents_problem_responses(app: FastAPI) -> None:
    spec: dict[str, Any] = app.openapi()
    assert "Problem" in spec["components"]["schemas"]
    responses = spec["paths"]["/api/v1/items/{item_id}"]["get"]["responses"]
    assert "application/problem+json" in responses["422"]["content"]
    assert "application/problem+json" in responses["500"]["content"]


async def test_nothing_is_built_at_import_or_before_lifespan(tmp_path: Path) -> None:
    db = tmp_path / "lazy" / "probe.db"
    application = create_service_app(
        DEFINITION, ProbeSettings(database_url=f"sqlite+aiosqlite:///{db}")
    )
    assert not db.parent.exists()
    assert not hasattr(application.state, "engine")
    async with LifespanManager(application):
        assert db.parent.is_dir()
        assert application.state.engine is not None


async def test_database_outage_is_503_but_a_query_bug_is_500(client: httpx.AsyncClient) -> None:
    down = await client.get("/api/v1/db-down")
    assert down.status_code == 503
    assert down.headers["retry-after"] == "5"
    bug = await client.get("/api/v1/query-bug")
    assert bug.status_code == 500
    assert "duplicate key" not in bug.text
    assert bug.headers["content-type"] == "application/problem+json"
