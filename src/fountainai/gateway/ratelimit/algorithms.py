"""The two counting rules, as pure functions of a key's state and the time (the Redis backend's
Lua scripts do the same arithmetic).

- **Sliding window** (the default): two fixed windows, the current one's count plus the previous
  one's weighted by how much of it still overlaps the last ``window`` seconds (Kong's and
  Cloudflare's approximation: O(1) state per key, no per-request log).
- **Token bucket**: ``limit`` tokens, refilled at ``limit / window`` per second; a request takes
  one. Allows a burst of ``limit``, then a steady rate.

A refused request changes nothing (it is not counted). Time never runs backwards for a key: an
earlier ``now`` than its state's counts as the state's time. Comparisons allow ``EPSILON`` of
floating-point error, so a request sent ``retry_after`` seconds later is admitted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fountainai.gateway.ratelimit.quota import Decision, Quota

EPSILON = 1e-9


@dataclass
class WindowState:
    index: int = 0  # which window ``current`` counts (floor(time / window))
    current: int = 0
    previous: int = 0


@dataclass
class BucketState:
    tokens: float
    updated: float


def sliding_window(quota: Quota, state: WindowState, now: float) -> Decision:
    """Check (and on success count) one request at ``now``; ``state`` is updated in place."""
    window = quota.window
    index = max(math.floor(now / window), state.index)
    if index != state.index:
        state.previous = state.current if index == state.index + 1 else 0
        state.current = 0
        state.index = index
    elapsed = min(max(0.0, now - index * window), float(window))
    weight = 1.0 - elapsed / window
    estimate = state.previous * weight + state.current
    allowed = estimate + 1 <= quota.limit + EPSILON
    if allowed:
        state.current += 1
        estimate += 1
    remaining = max(0, math.floor(quota.limit - estimate + EPSILON))
    reset = max(1, math.ceil(window - elapsed))
    retry_after = 0 if allowed else _window_wait(quota, state, elapsed)
    return Decision(allowed, remaining, reset, retry_after)


def _window_wait(quota: Quota, state: WindowState, elapsed: float) -> int:
    """Seconds until the estimate leaves room for one request (none admitted meanwhile)."""
    window, room = quota.window, quota.limit - 1
    if state.current <= room and state.previous > 0:
        # Within this window, once enough of the previous one has slid out.
        wait = window * (1 - (room - state.current) / state.previous) - elapsed
        return max(1, math.ceil(wait))
    # In the next window, once enough of this one has slid out.
    after = window * (1 - room / state.current) if state.current > room else 0.0
    return max(1, math.ceil(window - elapsed + after))


def token_bucket(quota: Quota, state: BucketState, now: float) -> Decision:
    """Check (and on success take a token for) one request at ``now``; ``state`` in place."""
    rate = quota.limit / quota.window
    tokens = min(float(quota.limit), state.tokens + max(0.0, now - state.updated) * rate)
    allowed = tokens >= 1 - EPSILON
    if allowed:
        tokens = max(0.0, tokens - 1)
    state.tokens, state.updated = tokens, max(now, state.updated)
    remaining = math.floor(tokens + EPSILON)
    reset = max(0, math.ceil((quota.limit - tokens) / rate - EPSILON))
    retry_after = 0 if allowed else max(1, math.ceil((1 - tokens) / rate))
    return Decision(allowed, remaining, reset, retry_after)
