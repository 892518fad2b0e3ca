"""The services a Story Factory import goes through, as uvicorn subprocesses, and what they served.

``running_stack`` starts the KMS (SQLite in the bench's temp dir) and Central Sequence, Scripts,
Characters, Sessions and the Story Factory, each on SQLite of its own in that dir or all in one
throwaway PostgreSQL database, every one told every other's URL. ``Served`` reads their
``/metrics`` (requests and handler seconds by route) so a run can say which requests an import
caused, and ``cpu_seconds`` what each process spent.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from sequence_alloc_server import (
    HOST,
    BenchFailure,
    Server,
    free_port,
    postgres_database,
    running_kms,
    running_service,
    wait_ready,
)

SERVICES = ("sequence", "scripts", "characters", "sessions", "story")
_NOT_WORK = ("/health", "/metrics")  # probes and scrapes, not requests an import caused

Route = tuple[str, str, str]  # service, method, route template


@dataclass
class Stack:
    kms: Server
    services: dict[str, Server]

    @property
    def story(self) -> Server:
        return self.services["story"]

    def cpu_seconds(self) -> dict[str, float]:
        return {name: server.cpu_seconds() for name, server in self.services.items()}


def _distinct_ports(count: int) -> list[int]:
    """``count`` free ports, no two alike (each is released before the next is picked)."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


@contextlib.asynccontextmanager
async def running_stack(
    backend: str,
    workdir: Path,
    http: aiohttp.ClientSession,
    *,
    settings: Mapping[str, str] | None = None,
) -> AsyncIterator[Stack]:
    """Every service of ``SERVICES`` and the KMS, ready; stopped (database dropped) after.
    ``settings``: extra environment variables for every service of ``SERVICES``."""
    async with contextlib.AsyncExitStack() as stack:
        if backend == "postgres":
            shared = await stack.enter_async_context(postgres_database())
            databases = dict.fromkeys(SERVICES, shared)
        else:
            databases = {name: f"sqlite+aiosqlite:///{workdir / f'{name}.db'}" for name in SERVICES}
        kms_port, *ports = _distinct_ports(len(SERVICES) + 1)
        kms = stack.enter_context(running_kms(workdir, port=kms_port))
        links = {
            f"FOUNTAIN_{name.upper()}_URL": f"http://{HOST}:{port}"
            for name, port in zip(SERVICES, ports, strict=True)
        }
        links.update(settings or {})
        services = {
            name: stack.enter_context(
                running_service(
                    name,
                    databases[name],
                    workdir=workdir,
                    kms_url=kms.base_url,
                    port=port,
                    settings=links,
                )
            )
            for name, port in zip(SERVICES, ports, strict=True)
        }
        for server in (kms, *services.values()):
            await wait_ready(http, server)
        yield Stack(kms, services)


@dataclass
class Served:
    """Requests answered and handler seconds, by (service, method, route), from ``/metrics``."""

    requests: dict[Route, float] = field(default_factory=dict)
    seconds: dict[Route, float] = field(default_factory=dict)

    @classmethod
    async def scrape(cls, http: aiohttp.ClientSession, stack: Stack) -> Served:
        served = cls()
        for name, server in stack.services.items():
            async with http.get(f"{server.base_url}/metrics") as response:
                if response.status != 200:
                    raise BenchFailure(f"{name} /metrics: HTTP {response.status}")
                exposition = await response.text()
            served._add(name, exposition)
        return served

    def _add(self, service: str, exposition: str) -> None:
        for family in text_string_to_metric_families(exposition):
            for sample in family.samples:
                route = sample.labels.get("route", "")
                if route.startswith(_NOT_WORK):
                    continue
                key = (service, sample.labels.get("method", ""), route)
                if sample.name == "http_requests_total":
                    self.requests[key] = self.requests.get(key, 0.0) + sample.value
                elif sample.name == "http_request_duration_seconds_sum":
                    self.seconds[key] = self.seconds.get(key, 0.0) + sample.value

    def since(self, before: Served) -> Served:
        return Served(
            {key: n - before.requests.get(key, 0.0) for key, n in self.requests.items()},
            {key: s - before.seconds.get(key, 0.0) for key, s in self.seconds.items()},
        )

    def routes(self) -> list[Route]:
        """Routes that served requests, by service (in ``SERVICES`` order), then most served."""
        busy = [key for key, count in self.requests.items() if count > 0]
        return sorted(busy, key=lambda key: (SERVICES.index(key[0]), -self.requests[key], key))
