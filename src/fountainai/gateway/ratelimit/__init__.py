"""Rate limiting for the gateway: ``Quota`` (limit per window, sliding window or token bucket),
``Decision``, the pure counting rules (``algorithms``), the in-process backend
(``InProcessLimiter``) and the response headers (``rate_limit_headers``)."""

from fountainai.gateway.ratelimit.headers import rate_limit_headers
from fountainai.gateway.ratelimit.memory import InProcessLimiter
from fountainai.gateway.ratelimit.quota import ALGORITHMS, Algorithm, Decision, Quota

__all__ = ["ALGORITHMS", "Algorithm", "Decision", "InProcessLimiter", "Quota", "rate_limit_headers"]
