"""Sending one request to a service's targets: a healthy target picked round-robin, transport
failures retried on another (idempotent or never-sent requests only, with backoff and jitter),
and the answer streamed back as it arrives."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Final

import aiohttp
from starlette.types import Receive, Send
from yarl import URL

from fountainai.core.errors import BadRequest, UpstreamUnavailable
from fountainai.core.logging import get_logger
from fountainai.gateway.errors import BadGateway, GatewayTimeout
from fountainai.gateway.forwarding import Header, downstream_headers
from fountainai.gateway.routes import Route
from fountainai.gateway.upstream import Backoff, Target, TargetPool, classify, may_retry

log = get_logger(__name__)
ALL_DOWN_RETRY_AFTER: Final = "5"
WHOLE_BODY_LIMIT: Final = 64 * 1024  # answers up to this size (and sized) are relayed in one piece
_TRANSPORT_ERRORS: Final = (aiohttp.ClientError, TimeoutError, OSError)


class ClientGone(Exception):
    """The client disconnected while its body was being read."""


Body = bytes | Callable[[], AsyncIterator[bytes]]


def streamed_body(receive: Receive, declared: int) -> Callable[[], AsyncIterator[bytes]]:
    """The request body as it arrives, no more than its declared length (read once)."""

    async def chunks() -> AsyncIterator[bytes]:
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone()
            chunk: bytes = message.get("body", b"")
            received += len(chunk)
            if received > declared:
                raise BadRequest("The body is longer than its Content-Length.")
            more = message.get("more_body", False)
            if chunk:
                yield chunk

    return chunks


@dataclass
class Exchange:
    """What the proxy needs to know about one forwarded request once it is answered."""

    status: int = 0
    upstream_seconds: float = 0.0
    retries: int = 0
    target: str = ""
    headers: list[Header] = field(default_factory=list)


class UpstreamCaller:
    def __init__(self, session: aiohttp.ClientSession, *, backoff: Backoff) -> None:
        self.session = session
        self.backoff = backoff
        self._timeouts: dict[str, aiohttp.ClientTimeout] = {}

    def _timeout(self, route: Route) -> aiohttp.ClientTimeout:
        timeout = self._timeouts.get(route.service)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(total=route.timeout, sock_connect=route.connect_timeout)
            self._timeouts[route.service] = timeout
        return timeout

    async def open(
        self,
        route: Route,
        pool: TargetPool,
        *,
        method: str,
        target_path: str,
        headers: list[tuple[str, str]],
        body: Body,
        exchange: Exchange,
    ) -> aiohttp.ClientResponse:
        """The upstream's response, headers read, body not yet; raises the gateway's 502/503/504
        problems when no target answers."""
        tried: set[Target] = set()
        attempt = 0
        failure: BaseException | None = None
        while True:
            # Another target if there is one; else the same again (a restart, a blip).
            target = pool.pick(exclude=frozenset(tried)) or (pool.pick() if tried else None)
            if target is None:
                if failure is not None:
                    raise _failure(route, failure)
                raise UpstreamUnavailable(
                    f"No healthy target of '{route.service}' is available; retry shortly.",
                    headers={"Retry-After": ALL_DOWN_RETRY_AFTER},
                )
            tried.add(target)
            exchange.target = target.url
            started = time.perf_counter()
            try:
                response = await self.session.request(
                    method,
                    URL(target.url + target_path, encoded=True),
                    headers=headers,
                    data=body() if callable(body) else (body or None),
                    timeout=self._timeout(route),
                    allow_redirects=False,
                )
            except (ClientGone, BadRequest, asyncio.CancelledError):
                target.release()  # the client's doing: no verdict on the target
                raise
            except _TRANSPORT_ERRORS as exc:
                exchange.upstream_seconds += time.perf_counter() - started
                target.record_failure()
                sent = classify(exc) == "sent" or callable(body)
                log.warning(
                    "upstream_failed",
                    service=route.service,
                    target=target.url,
                    error=type(exc).__name__,
                    attempt=attempt,
                )
                failure = exc
                if may_retry(method, sent=sent, attempt=attempt, max_retries=route.retries):
                    await asyncio.sleep(self.backoff.delay(attempt))
                    attempt += 1
                    exchange.retries += 1
                    continue
                raise _failure(route, exc) from None
            exchange.upstream_seconds += time.perf_counter() - started
            exchange.status = response.status
            target.record_result(response.status)
            return response

    async def relay(
        self,
        response: aiohttp.ClientResponse,
        send: Send,
        *,
        extra_headers: list[Header],
        exchange: Exchange,
        tee: Callable[[bytes], None] | None = None,
    ) -> None:
        """Stream the upstream's answer to the client as it comes (status and headers as-is,
        hop-by-hop ones dropped, ``extra_headers`` added)."""
        started = time.perf_counter()
        exchange.headers = downstream_headers(response.raw_headers)
        start = {
            "type": "http.response.start",
            "status": response.status,
            "headers": [*exchange.headers, *extra_headers],
        }
        try:
            length = response.content_length
            if length is not None and length <= WHOLE_BODY_LIMIT:
                # Small and sized: read it whole and answer in two messages, not three or more
                # (each ASGI send costs the server as much as a chunk of the work).
                body = await response.read()
                if tee is not None:
                    tee(body)
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            await send(start)
            async for chunk in response.content.iter_any():
                if tee is not None:
                    tee(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            exchange.upstream_seconds += time.perf_counter() - started
        await send({"type": "http.response.body", "body": b""})


def _failure(route: Route, exc: BaseException) -> Exception:
    if classify(exc) == "connect":
        return UpstreamUnavailable(
            f"'{route.service}' cannot be reached; retry shortly.",
            headers={"Retry-After": ALL_DOWN_RETRY_AFTER},
        )
    if isinstance(exc, TimeoutError):
        return GatewayTimeout(f"'{route.service}' did not answer within {route.timeout:g} s.")
    return BadGateway(f"'{route.service}' broke off the exchange.")
