"""When the proxy may try another target, and how long it waits first.

Only transport failures are retried (an upstream's answer, even a 503, is passed on), as nginx's
``proxy_next_upstream error timeout`` and Kong do; a request that is not idempotent is retried
only if it never left the gateway, so a POST is never applied twice.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import aiohttp

from fountainai.gateway.routes import IDEMPOTENT_METHODS

FailureKind = Literal["connect", "sent"]

# 2**62 * any sane base is far above any cap; beyond it the float product would overflow.
_MAX_EXPONENT = 62


def _uniform(low: float, high: float) -> float:
    return random.uniform(low, high)  # noqa: S311 - jitter, not a secret


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: attempt ``n`` waits a uniform random time in
    ``[0, min(cap, base * 2**n)]`` seconds, so retrying gateways do not stampede in step.
    ``uniform(low, high)`` draws the number (injectable for tests)."""

    base: float = 0.025
    cap: float = 0.5
    uniform: Callable[[float, float], float] = field(default=_uniform, repr=False)

    def __post_init__(self) -> None:
        if self.base <= 0 or self.cap < 0:
            raise ValueError("base must be positive and cap not negative")

    def ceiling(self, attempt: int) -> float:
        """The longest wait before retry ``attempt`` (0 for the first retry)."""
        if attempt < 0:
            raise ValueError("attempt cannot be negative")
        return min(self.cap, math.ldexp(self.base, min(attempt, _MAX_EXPONENT)))

    def delay(self, attempt: int) -> float:
        ceiling = self.ceiling(attempt)
        return min(ceiling, max(0.0, self.uniform(0.0, ceiling)))


def may_retry(method: str, *, sent: bool, attempt: int, max_retries: int) -> bool:
    """After a transport failure on ``attempt`` (0 for the first try): may the proxy try again?

    Only while ``attempt < max_retries``, and only for an idempotent method (GET, HEAD, OPTIONS,
    PUT, DELETE) or a request that was never ``sent`` (the connection failed).
    """
    if attempt >= max_retries:
        return False
    return not sent or method.upper() in IDEMPOTENT_METHODS


def classify(exc: BaseException) -> FailureKind:
    """``"connect"`` when ``exc`` proves the request never reached the upstream (no connection
    could be made, or none within the connect timeout); ``"sent"`` otherwise, including a
    disconnect or a read timeout, where the upstream may have received and acted on it."""
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return "connect"
    return "sent"
