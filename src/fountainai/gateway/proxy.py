"""The proxy pipeline, as one pure-ASGI handler: route, framing checks, auth, rate limits, body
limits, cache, upstream call, metrics. Every failure of the gateway's own is problem+json; an
upstream's answer, errors included, is passed through as-is."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote

from starlette.types import Receive, Scope, Send

from fountainai.core.auth import Principal
from fountainai.core.context import bind_request_id, unbind_request_id
from fountainai.core.errors import AppError, BadRequest, PayloadTooLarge
from fountainai.core.logging import get_logger
from fountainai.gateway.edge import EdgeSend, incoming_request_id, new_request_id
from fountainai.gateway.edge_auth import EdgeAuth
from fountainai.gateway.errors import InternalError, send_error
from fountainai.gateway.forwarding import (
    Header,
    Hop,
    IpNetwork,
    check_framing,
    client_ip,
    header_value,
    is_trusted,
    upstream_headers,
)
from fountainai.gateway.limits import RateLimitGate
from fountainai.gateway.metrics import GatewayMetrics
from fountainai.gateway.proxy_cache import ProxyCache
from fountainai.gateway.routes import SAFE_METHODS, Route, RouteTable
from fountainai.gateway.upstream import TargetPool
from fountainai.gateway.upstream_call import (
    Body,
    ClientGone,
    Exchange,
    UpstreamCaller,
    streamed_body,
)

log = get_logger(__name__)
access_log = get_logger("fountainai.access")
BUFFER_LIMIT: Final = 1024 * 1024  # bodies up to this size are read first (and can be retried)


@dataclass(frozen=True, slots=True)
class Match:
    route: Route
    target_path: str  # raw (still percent-encoded) path and query for the upstream


def match(table: RouteTable, scope: Scope) -> Match | None:
    """``Host`` routes first (the whole path goes upstream), then ``/{service}/...``."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
    query: bytes = scope.get("query_string", b"")
    suffix = b"?" + query if query else b""
    if table.by_host:
        host = header_value(scope["headers"], b"host")
        if host is not None:
            route = table.by_host.get(host.decode("latin-1").split(":")[0].lower())
            if route is not None:
                return Match(route, (raw_path + suffix).decode("latin-1"))
    service, slash, rest = raw_path[1:].partition(b"/")
    route = table.by_service.get(service.decode("latin-1"))
    if route is None:
        return None
    return Match(route, (slash + rest + suffix).decode("latin-1") or "/")


class Proxy:
    def __init__(
        self,
        *,
        auth: EdgeAuth,
        limits: RateLimitGate,
        pools: dict[str, TargetPool],
        caller: UpstreamCaller,
        cache: ProxyCache,
        metrics: GatewayMetrics,
        trusted_proxies: tuple[IpNetwork, ...],
        hsts: bool = False,
    ) -> None:
        self.hsts = hsts
        self.auth = auth
        self.limits = limits
        self.pools = pools
        self.caller = caller
        self.cache = cache
        self.metrics = metrics
        self.trusted = trusted_proxies

    async def handle(self, found: Match, scope: Scope, receive: Receive, server_send: Send) -> None:
        """The request ID, security headers, access log and last-resort 500 are done here, not
        by middleware layers: this is the hot path."""
        started = time.perf_counter()
        request_id = incoming_request_id(scope) or new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        token = bind_request_id(request_id)
        send = EdgeSend(server_send, request_id, hsts=self.hsts)
        route = found.route
        exchange = Exchange()
        rule_path = "<none>"
        status = 500
        try:
            method: str = scope["method"]
            headers: list[Header] = scope["headers"]
            upstream_path = found.target_path.partition("?")[0]
            rule = route.access_for(method, _checked_path(upstream_path))
            rule_path = rule.path
            length = check_framing(headers)
            principal = await self.auth.authorize(rule, headers)
            peer = scope["client"][0] if scope.get("client") else "unknown"
            ip = client_ip(peer, headers, self.trusted)
            limit_headers = await self.limits.check(route, method, principal, ip)
            try:
                status = await self._forward(
                    found, scope, receive, send, principal, peer, length, limit_headers, exchange
                )
            except AppError as exc:
                status = exc.status
                await send_error(send, exc, instance=scope["path"], extra_headers=limit_headers)
        except AppError as exc:
            status = exc.status
            await send_error(send, exc, instance=scope["path"])
        except ClientGone:
            status = 499  # nginx's "client closed request": nobody is left to answer
        except Exception:
            log.exception("unhandled_error", path=scope["path"], method=scope["method"])
            if send.started:
                raise  # mid-answer: the server closes the connection
            await send_error(send, InternalError(), instance=scope["path"])
        finally:
            status = send.status or status
            access_log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                service=route.service,
                route=rule_path,
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
                upstream_ms=round(exchange.upstream_seconds * 1000, 3),
                target=exchange.target or None,
            )
            unbind_request_id(token)
            self.metrics.observe(
                route.service,
                rule_path,
                status,
                total=time.perf_counter() - started,
                upstream=exchange.upstream_seconds if exchange.status else None,
                retries=exchange.retries,
            )

    async def _forward(
        self,
        found: Match,
        scope: Scope,
        receive: Receive,
        send: Send,
        principal: Principal | None,
        peer: str,
        length: int | None,
        limit_headers: list[Header],
        exchange: Exchange,
    ) -> int:
        route = found.route
        method: str = scope["method"]
        if length is not None and length > route.max_body_bytes:
            raise PayloadTooLarge(f"The body may be at most {route.max_body_bytes} bytes.")
        cached = await self.cache.lookup(route, scope, principal, limit_headers, send)
        if cached.answered:
            return cached.status
        body: Body
        if length is not None and length > BUFFER_LIMIT:
            body = streamed_body(receive, length)
        else:
            body = await _read_body(receive, route.max_body_bytes)
        hop = Hop(
            peer=peer,
            scheme=scope.get("scheme", "http"),
            host=header_value(scope["headers"], b"host") or b"",
            peer_trusted=is_trusted(peer, self.trusted),
        )
        headers = upstream_headers(
            scope["headers"],
            hop=hop,
            request_id=scope["state"]["request_id"],
            principal=principal,
            body_length=len(body) if isinstance(body, bytes) else length,
        )
        response = await self.caller.open(
            route,
            self.pools[route.service],
            method=method,
            target_path=found.target_path,
            headers=headers,
            body=body,
            exchange=exchange,
        )
        async with response:
            extra = [*limit_headers, *cached.headers]
            await self.caller.relay(
                response, send, extra_headers=extra, exchange=exchange, tee=cached.tee
            )
        await self.cache.after(scope, response.status, exchange.headers, cached)
        if method not in SAFE_METHODS and 200 <= response.status < 300:
            await self.cache.invalidate(route, scope["path"])
        return response.status


def _checked_path(raw: str) -> str:
    """The decoded path the access rules see. Dot segments (even percent-encoded) and empty
    segments are refused: a rule must match the exact path the upstream will route, whatever
    it normalises. An encoded slash stays inside its segment."""
    segments = raw.split("/")[1:]
    if "" in segments[:-1] or any(unquote(segment) in {".", ".."} for segment in segments):
        raise BadRequest("The path has empty, '.' or '..' segments; send it normalised.")
    return unquote(raw) or "/"


async def _read_body(receive: Receive, limit: int) -> bytes:
    """The whole body (at most ``limit`` bytes, else 413), for bodies small enough to buffer."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone()
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The body may be at most {limit} bytes.")
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)
