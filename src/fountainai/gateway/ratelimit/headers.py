"""The response headers rate-limit decisions add: the IETF draft's structured fields
(``RateLimit-Policy`` and ``RateLimit``, draft-ietf-httpapi-ratelimit-headers-10, one list
member per quota counted), the widely used ``X-RateLimit-*`` trio for the tightest one and, on
refusal, ``Retry-After`` (delay-seconds)."""

from __future__ import annotations

from collections.abc import Sequence

from fountainai.gateway.ratelimit.quota import Decision, Quota


def rate_limit_headers(
    counted: Sequence[tuple[Quota, Decision]],
) -> list[tuple[bytes, bytes]]:
    """Every counted quota in ``RateLimit-Policy`` and ``RateLimit`` (draft-ietf-httpapi-
    ratelimit-headers-10 lists), the tightest one in ``X-RateLimit-*``, and ``Retry-After`` on a
    refusal."""
    if not counted:
        return []
    policies = ", ".join(f'"{q.name}";q={q.limit};w={q.window}' for q, _ in counted)
    states = ", ".join(f'"{q.name}";r={d.remaining};t={d.reset}' for q, d in counted)
    quota, decision = min(counted, key=lambda pair: (pair[1].allowed, pair[1].remaining))
    headers = [
        (b"ratelimit-policy", policies.encode()),
        (b"ratelimit", states.encode()),
        (b"x-ratelimit-limit", str(quota.limit).encode()),
        (b"x-ratelimit-remaining", str(decision.remaining).encode()),
        (b"x-ratelimit-reset", str(decision.reset).encode()),
    ]
    if not decision.allowed:
        headers.append((b"retry-after", str(decision.retry_after).encode()))
    return headers
