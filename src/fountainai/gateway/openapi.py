"""One OpenAPI 3.1 document for every service behind the gateway (issue 7, item 7).

Each service's paths move under its ``/{service}`` prefix, without its internal ``/metrics`` and
``/health/*`` paths and without what the gateway never routes. Components are merged (only those
the kept paths reach): a name two services define differently keeps its plain name for the
definition most services share and becomes ``<Service><Name>`` elsewhere, every reference of that
service following (``openapi_refs``). A clashing operationId becomes ``<service><OperationId>``;
tags become ``<service>: <tag>``, grouped per service in ``x-tagGroups``.

:class:`AggregatedOpenApi` serves it: fetched from the services, merged, cached.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from fountainai.core import get_logger
from fountainai.gateway.openapi_fetch import fetch_openapi
from fountainai.gateway.openapi_refs import (
    HTTP_METHODS,
    ComponentKey,
    Rewriter,
    component_renames,
    number_duplicate_operation_ids,
    operation_id_renames,
    operations,
    references,
)
from fountainai.gateway.routes import RouteTable

__all__ = [
    "GATEWAY_SOURCE",
    "HTTP_METHODS",
    "MISSING_SERVICES",
    "OPENAPI_VERSION",
    "STALE_SERVICES",
    "AggregatedOpenApi",
    "Routable",
    "aggregate",
    "routable_in",
]

OPENAPI_VERSION = "3.1.0"
GATEWAY_SOURCE = "gateway"  # the tag (and rename prefix) of the gateway's own paths
MISSING_SERVICES = "x-fountain-missing-services"
STALE_SERVICES = "x-fountain-stale-services"

Routable = Callable[[str, str, str], bool]
"""``routable(service, METHOD, path)``: is this routed? (``path`` as the service sees it)"""

log = get_logger(__name__)


def routable_in(table: RouteTable) -> Routable:
    """The predicate of a routing table: a route exists for the service and does not deny it."""

    def routable(service: str, method: str, path: str) -> bool:
        route = table.by_service.get(service)
        return route is not None and not route.access_for(method, path).deny

    return routable


def aggregate(
    specs: Mapping[str, Mapping[str, Any]],
    *,
    title: str,
    version: str,
    server_url: str | None = None,
    gateway_paths: Mapping[str, Any] | None = None,
    gateway_components: Mapping[str, Mapping[str, Any]] | None = None,
    routable: Routable | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """Merge ``specs`` (service name -> its OpenAPI document; not changed) into one document.

    ``gateway_paths`` (and the ``gateway_components`` they refer to) are the gateway's own, kept
    at their paths. Raises ``ValueError`` if a gateway path falls under a service's prefix.
    """
    if gateway_paths and GATEWAY_SOURCE in specs:
        raise ValueError(f"a service may not be named {GATEWAY_SOURCE!r}")
    sources = [_Source.of_service(name, spec, routable) for name, spec in specs.items()]
    if gateway_paths:
        sources.append(_Source.of_gateway(gateway_paths, gateway_components or {}))
    operation_ids = operation_id_renames({s.name: s.operation_ids() for s in sources})
    component_names = component_renames(
        {s.name: s.components for s in sources},
        operation_ids=operation_ids,
        prefixes={s.name: s.prefix for s in sources},
    )
    paths: dict[str, Any] = {}
    components: dict[str, dict[str, Any]] = {}
    for source in sources:
        rewriter = Rewriter(component_names[source.name], operation_ids[source.name], source.prefix)
        for path, item in source.paths.items():
            if source.prefix + path in paths:
                raise ValueError(f"{source.prefix + path} is served twice")
            paths[source.prefix + path] = rewriter.node(item)
        for (section, name), definition in source.components.items():
            target = component_names[source.name].get((section, name), name)
            components.setdefault(section, {})[target] = rewriter.node(definition)
    number_duplicate_operation_ids(paths)

    info = {"title": title, "version": version, "description": description or _describe(sources)}
    document: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": info}
    if server_url:
        document["servers"] = [{"url": server_url}]
    document["paths"] = paths
    if components:
        document["components"] = components
    tags, groups = _tags(sources)
    if tags:
        document["tags"] = tags
        document["x-tagGroups"] = groups
    return document


@dataclass
class _Source:
    """One service's (or the gateway's) kept paths, tags already prefixed, and the components
    those paths reach."""

    name: str
    prefix: str
    title: str
    paths: dict[str, dict[str, Any]]
    components: dict[ComponentKey, Any] = field(default_factory=dict)
    declared_tags: dict[str, dict[str, Any]] = field(default_factory=dict)
    used_tags: list[str] = field(default_factory=list)

    @classmethod
    def of_service(cls, name: str, spec: Mapping[str, Any], routable: Routable | None) -> _Source:
        info = spec.get("info") or {}
        source = cls(name=name, prefix=f"/{name}", title=str(info.get("title") or name), paths={})
        default_security = spec.get("security")
        for path, item in (spec.get("paths") or {}).items():
            if _internal(path):
                continue
            kept = _kept_item(name, path, item, routable, default_security)
            if kept is not None:
                source.paths[path] = kept
        source.adopt(spec)
        return source

    @classmethod
    def of_gateway(
        cls, paths: Mapping[str, Any], components: Mapping[str, Mapping[str, Any]]
    ) -> _Source:
        kept = {path: copy.deepcopy(dict(item)) for path, item in paths.items()}
        source = cls(name=GATEWAY_SOURCE, prefix="", title="FountainAI Gateway", paths=kept)
        source.adopt({"components": components})
        return source

    def operation_ids(self) -> set[str]:
        return {op["operationId"] for op in operations(self.paths) if "operationId" in op}

    def adopt(self, spec: Mapping[str, Any]) -> None:
        """Prefix the kept operations' tags; carry over the components they reach."""
        self.declared_tags = {
            tag["name"]: tag for tag in spec.get("tags") or () if isinstance(tag, dict)
        }
        for operation in operations(self.paths):
            names = [f"{self.name}: {tag}" for tag in operation.get("tags") or ()] or [self.name]
            operation["tags"] = names
            self.used_tags.extend(tag for tag in names if tag not in self.used_tags)
        available = spec.get("components") or {}
        reached: set[ComponentKey] = set()
        pending = references(self.paths)
        while pending:
            section, name = key = pending.pop()
            definition = (available.get(section) or {}).get(name)
            if key not in reached and definition is not None:
                reached.add(key)
                pending |= references(definition)
        self.components = {  # in the service's own order, whatever the walk's
            (section, name): definition
            for section, definitions in available.items()
            for name, definition in definitions.items()
            if (section, name) in reached
        }


def _internal(path: str) -> bool:
    """A service's own metrics and health: the gateway answers ``/health/services`` itself."""
    return path in {"/metrics", "/health"} or path.startswith("/health/")


def _kept_item(
    service: str, path: str, item: Any, routable: Routable | None, default_security: Any
) -> dict[str, Any] | None:
    """A copy of the path item with only the routed operations (``None`` if none is left);
    the service's document-wide ``security`` is copied into operations that have none."""
    if not isinstance(item, dict):
        return None
    kept = {key: copy.deepcopy(value) for key, value in item.items() if key != "servers"}
    for method in HTTP_METHODS:
        if method not in kept:
            continue
        if routable is not None and not routable(service, method.upper(), path):
            del kept[method]
            continue
        kept[method].pop("servers", None)
        if default_security is not None and "security" not in kept[method]:
            kept[method]["security"] = copy.deepcopy(default_security)
    if not any(method in kept for method in HTTP_METHODS) and "$ref" not in kept:
        return None
    return kept


def _tags(sources: list[_Source]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The used tags (with their services' descriptions) and an ``x-tagGroups`` entry each."""
    tags: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    for source in sources:
        for name in source.used_tags:
            original = source.declared_tags.get(name.removeprefix(f"{source.name}: "), {})
            tag = {key: copy.deepcopy(value) for key, value in original.items() if key != "name"}
            if name == source.name and "description" not in tag:
                tag["description"] = source.title
            tags.append({"name": name, **tag})
        if source.used_tags:
            groups.append({"name": source.title, "tags": list(source.used_tags)})
    return tags, groups


def _describe(sources: list[_Source]) -> str:
    lines = ["Every FountainAI service behind one gateway, each under its prefix:", ""]
    lines += [f"- `{s.prefix}/`: {s.title}" for s in sources if s.name != GATEWAY_SOURCE]
    return "\n".join(lines)


class AggregatedOpenApi:
    """The gateway's ``/openapi.json``: ``{target}{spec_path}`` of every service fetched at once
    (``timeout`` seconds each), merged by :func:`aggregate`, cached ``cache_seconds``.

    Never an error for a service that does not answer: its last good document stands in (listed
    in ``x-fountain-stale-services``) or, if it never answered, it is left out (listed in
    ``x-fountain-missing-services``); such a document is kept only ``retry_seconds``. If merging
    fails, the last good document stays. One refresh runs at a time; other callers wait for it.
    """

    def __init__(
        self,
        targets: Mapping[str, str],
        session: aiohttp.ClientSession,
        *,
        title: str,
        version: str,
        cache_seconds: float = 30.0,
        retry_seconds: float = 5.0,
        timeout: float = 3.0,
        spec_path: str = "/openapi.json",
        **aggregate_options: Any,
    ) -> None:
        """``aggregate_options``: :func:`aggregate`'s ``server_url``, ``gateway_paths``,
        ``gateway_components``, ``routable``, ``description``."""
        self.targets = {service: url.rstrip("/") for service, url in targets.items()}
        self._session = session
        self._options: dict[str, Any] = {"title": title, "version": version, **aggregate_options}
        self._cache_seconds = cache_seconds
        self._retry_seconds = min(retry_seconds, cache_seconds)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._spec_path = spec_path
        self._last_good: dict[str, dict[str, Any]] = {}
        self._document: dict[str, Any] | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    @classmethod
    def for_routes(
        cls, table: RouteTable, session: aiohttp.ClientSession, **options: Any
    ) -> AggregatedOpenApi:
        """Every route's first target; the routes' denied paths left out."""
        targets = {route.service: route.targets[0] for route in table.routes}
        return cls(targets, session, routable=routable_in(table), **options)

    async def document(self) -> dict[str, Any]:
        """The merged document; the same object until it expires (callers must not change it)."""
        if self._document is not None and time.monotonic() < self._expires:
            return self._document
        async with self._lock:
            if self._document is None or time.monotonic() >= self._expires:
                self._document = await self._refresh()
            return self._document

    async def _refresh(self) -> dict[str, Any]:
        fetched = await asyncio.gather(
            *(
                fetch_openapi(self._session, url + self._spec_path, client_timeout=self._timeout)
                for url in self.targets.values()
            )
        )
        specs: dict[str, dict[str, Any]] = {}
        missing: list[str] = []
        stale: list[str] = []
        for service, spec in zip(self.targets, fetched, strict=True):
            if spec is not None:
                specs[service] = spec
            elif service in self._last_good:
                specs[service] = self._last_good[service]
                stale.append(service)
            else:
                missing.append(service)
        try:
            document = aggregate(specs, **self._options)
        except (ValueError, TypeError, KeyError, AttributeError):
            log.exception("openapi_aggregate_failed", services=sorted(specs))
            if self._document is not None:
                self._expires = time.monotonic() + self._retry_seconds
                return self._document
            document, missing, stale = aggregate({}, **self._options), list(self.targets), []
        else:
            self._last_good.update(specs)
        if missing:
            document[MISSING_SERVICES] = missing
        if stale:
            document[STALE_SERVICES] = stale
        ttl = self._retry_seconds if missing or stale else self._cache_seconds
        self._expires = time.monotonic() + ttl
        return document
