"""The response headers a rate-limit decision adds: the IETF draft's structured fields
(``RateLimit-Policy`` and ``RateLimit``, draft-ietf-httpapi-ratelimit-headers-10), the widely
used ``X-RateLimit-*`` trio and, on refusal, ``Retry-After`` (delay-seconds)."""

from __future__ import annotations

from fountainai.gateway.ratelimit.quota import Decision, Quota


def rate_limit_headers(quota: Quota, decision: Decision) -> dict[str, str]:
    headers = {
        "RateLimit-Policy": f'"{quota.name}";q={quota.limit};w={quota.window}',
        "RateLimit": f'"{quota.name}";r={decision.remaining};t={decision.reset}',
        "X-RateLimit-Limit": str(quota.limit),
        "X-RateLimit-Remaining": str(decision.remaining),
        "X-RateLimit-Reset": str(decision.reset),
    }
    if not decision.allowed:
        headers["Retry-After"] = str(decision.retry_after)
    return headers
