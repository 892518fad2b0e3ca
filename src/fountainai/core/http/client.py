"""One pooled aiohttp session per upstream service, with retries, timeouts and typed answers.

aiohttp rather than httpx: on ``bench/http_clients.py`` it served 2-3.5x httpx's requests/second
with one request in flight and 16-25x with 64, where httpx's p99 passed a second
(encode/httpx#3215).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Self, TypeVar

import aiohttp
import orjson
from multidict import CIMultiDict, CIMultiDictProxy
from pydantic import BaseModel, TypeAdapter, ValidationError
from yarl import URL

from fountainai.core.context import current_request_id
from fountainai.core.errors import AppError, UpstreamUnavailable
from fountainai.core.logging import get_logger

T = TypeVar("T")

IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES: Final = frozenset({502, 503, 504})
DEFAULT_TIMEOUT: Final = aiohttp.ClientTimeout(total=10.0, connect=2.0)
REQUEST_ID_HEADER: Final = "X-Request-ID"
# ClientPayloadError is a connection that broke mid-body; timeouts are TimeoutError subclasses.
_TRANSPORT_ERRORS: Final = (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, TimeoutError)
_ACCEPT: Final = {"Accept": "application/json, application/problem+json"}

log = get_logger(__name__)
_adapters: dict[Any, TypeAdapter[Any]] = {}


class UpstreamError(AppError):
    """The upstream answered an error status other than 502/503/504 (those mean unavailable).

    Unless the caller maps it, we answer 502; the upstream's body stays on ``problem``, out of our
    answer, since it may describe another service's internals.
    """

    status = 502
    slug = "upstream-error"
    title = "A service this request needs answered with an error"

    def __init__(
        self,
        detail: str,
        *,
        upstream_status: int,
        problem: Any = None,
        upstream_headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.upstream_status = upstream_status
        self.problem = problem
        # e.g. Retry-After, for a caller that passes the upstream's answer on; never sent as-is.
        self.upstream_headers: Mapping[str, str] = CIMultiDict(upstream_headers or {})


class UpstreamBadResponse(UpstreamError):
    """The upstream answered success, but with a body that does not fit the expected model."""

    slug = "upstream-bad-response"
    title = "A service this request needs gave an answer that could not be read"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff, full jitter: wait n is uniform in [0, min(max, base * 2^(n-1))]."""

    max_attempts: int = 3
    base_delay: float = 0.1
    max_delay: float = 2.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("max_attempts must be >= 1 and delays must not be negative")

    def delay(self, failed_attempt: int) -> float:
        ceiling = min(self.max_delay, self.base_delay * 2 ** (failed_attempt - 1))
        return random.uniform(0.0, ceiling)  # noqa: S311 - jitter, not a secret


@dataclass(frozen=True, slots=True)
class Response:
    """An upstream answer, fully read: the connection is back in the pool when you hold one."""

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


def _adapter(model: type[T]) -> TypeAdapter[T]:
    adapter = _adapters.get(model)
    if adapter is None:
        adapter = _adapters[model] = TypeAdapter(model)
    return adapter


def _encode_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _describe(exc: BaseException) -> str:
    """Why an attempt failed, for the problem detail: plain words, no internal addresses."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "the answer was cut off"
    return f"connection failed ({type(exc).__name__})"


def _problem_of(body: bytes) -> Any:
    """The upstream's problem+json (or other JSON) body parsed, else its text, or None if empty."""
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return body.decode("utf-8", errors="replace")


class ServiceClient:
    """Typed calls to one upstream service; create in the app lifespan, keep on ``app.state``.

    Idempotent methods (or ``idempotent=True``, e.g. a POST carrying an idempotency key) are retried
    on transport errors and 502/503/504; anything else gets exactly one attempt.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        max_connections: int = 100,
        name: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = name or URL(self.base_url).host or self.base_url
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._headers = dict(headers or {})
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._max_connections)
            self._session = aiohttp.ClientSession(connector=connector, timeout=self.timeout)

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int | float] | None = None,
        headers: Mapping[str, str] | None = None,
        # Not asyncio.timeout: a ClientTimeout bounds each attempt, per phase (connect, read).
        timeout: aiohttp.ClientTimeout | None = None,  # noqa: ASYNC109
        idempotent: bool | None = None,
        content: bytes | None = None,
        content_type: str = "application/octet-stream",
    ) -> Response:
        """Send, retrying where safe; answer a 2xx/3xx, or raise UpstreamError/Unavailable.

        The body is ``json`` (encoded) or ``content`` (sent as is, as ``content_type``)."""
        method = method.upper()
        await self.start()
        assert self._session is not None
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        attempts = self.retry.max_attempts if idempotent else 1
        url = f"{self.base_url}/{path.lstrip('/')}"
        if content is not None and json is not None:
            raise ValueError("send json or content, not both")
        data = content if json is None else orjson.dumps(json, default=_encode_default)
        sent_headers = self._request_headers(headers, has_body=data is not None)
        if content is not None:
            sent_headers["Content-Type"] = content_type
        timeout = timeout if timeout is not None else self.timeout
        attempt = 0
        while True:
            attempt += 1
            cause: BaseException | None = None
            try:
                async with self._session.request(
                    method, url, data=data, params=params, headers=sent_headers, timeout=timeout
                ) as raw:
                    response = Response(raw.status, raw.headers, await raw.read())
            except _TRANSPORT_ERRORS as exc:
                cause, failure = exc, _describe(exc)
            else:
                if response.status not in RETRYABLE_STATUSES:
                    if response.status >= 400:
                        raise UpstreamError(
                            f"{self.name}: {method} {path} answered {response.status}",
                            upstream_status=response.status,
                            problem=_problem_of(response.body),
                            upstream_headers=response.headers,
                        )
                    return response
                failure = f"answered {response.status}"
            fields = {"method": method, "url": url, "attempt": attempt, "reason": failure}
            if attempt == attempts:
                log.warning("upstream_unavailable", **fields, error=repr(cause) if cause else None)
                tries = f"{attempts} attempts" if attempts > 1 else "1 attempt (not retried)"
                raise UpstreamUnavailable(
                    f"{self.name}: {method} {path} failed after {tries}: {failure}"
                ) from cause
            delay = self.retry.delay(attempt)
            log.warning("upstream_retry", **fields, max_attempts=attempts, delay_s=round(delay, 4))
            await asyncio.sleep(delay)

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        model: type[T],
        json: Any = None,
        params: Mapping[str, str | int | float] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: aiohttp.ClientTimeout | None = None,  # noqa: ASYNC109
        idempotent: bool | None = None,
        content: bytes | None = None,
        content_type: str = "application/octet-stream",
    ) -> T:
        """Like :meth:`request`, with the answer validated into ``model`` (``list[X]`` works)."""
        response = await self.request(
            method,
            path,
            json=json,
            params=params,
            headers=headers,
            timeout=timeout,
            idempotent=idempotent,
            content=content,
            content_type=content_type,
        )
        try:
            return _adapter(model).validate_json(response.body)
        except ValidationError as exc:
            raise UpstreamBadResponse(
                f"{self.name}: {method.upper()} {path} answered {response.status} with a body "
                f"that is not a valid {getattr(model, '__name__', model)}",
                upstream_status=response.status,
                problem=_problem_of(response.body),
            ) from exc

    def _request_headers(
        self, extra: Mapping[str, str] | None, *, has_body: bool
    ) -> dict[str, str]:
        headers = {**_ACCEPT, **self._headers}
        if has_body:
            headers["Content-Type"] = "application/json"
        request_id = current_request_id()
        if request_id is not None:
            headers[REQUEST_ID_HEADER] = request_id
        if extra:
            headers.update(extra)
        return headers
