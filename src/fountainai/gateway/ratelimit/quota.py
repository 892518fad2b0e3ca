"""What a rate limit is (``Quota``) and what one request's check answers (``Decision``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Algorithm = Literal["sliding-window", "token-bucket"]
ALGORITHMS: tuple[Algorithm, ...] = ("sliding-window", "token-bucket")


@dataclass(frozen=True)
class Quota:
    """``limit`` requests per ``window`` seconds, counted by ``algorithm``.

    ``name`` names the policy in the ``RateLimit-Policy`` / ``RateLimit`` headers.
    """

    name: str
    limit: int
    window: int
    algorithm: Algorithm = "sliding-window"

    def __post_init__(self) -> None:
        if not self.name or not self.name.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"a quota name is letters, digits, '-' and '_', not {self.name!r}")
        if self.limit < 1:
            raise ValueError(f"a quota admits at least 1 request, not {self.limit}")
        if self.window < 1:
            raise ValueError(f"a quota's window is at least 1 second, not {self.window}")
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm must be one of {ALGORITHMS}, not {self.algorithm!r}")


@dataclass(frozen=True)
class Decision:
    """One request's check against one quota.

    ``remaining``: requests still admitted now. ``reset``: whole seconds until the quota is
    whole again (token bucket) or the current window ends (sliding window). ``retry_after``:
    whole seconds until one more request would be admitted, if nothing else is (0 when this
    one was).
    """

    allowed: bool
    remaining: int
    reset: int
    retry_after: int
