"""The service's sense of time, one object so tests can move it (TOTP steps, expiry, lockouts)."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    """Wall-clock time; tests replace ``app.state.clock`` with one that can be moved."""

    def time(self) -> float:
        return time.time()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)
