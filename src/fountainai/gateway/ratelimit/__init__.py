"""Rate limiting for the gateway: ``Quota`` (limit per window, sliding window or token bucket),
``Decision``, the pure counting rules (``algorithms``), the in-process backend
(``InProcessLimiter``), the Redis backend shared by gateway processes (``RedisLimiter``: one Lua
script call per request) and the response headers (``rate_limit_headers``)."""

from fountainai.gateway.ratelimit.headers import rate_limit_headers
from fountainai.gateway.ratelimit.memory import InProcessLimiter
from fountainai.gateway.ratelimit.quota import ALGORITHMS, Algorithm, Decision, Quota
from fountainai.gateway.ratelimit.redis_backend import RedisLimiter

__all__ = [
    "ALGORITHMS",
    "Algorithm",
    "Decision",
    "InProcessLimiter",
    "Quota",
    "RedisLimiter",
    "rate_limit_headers",
]
