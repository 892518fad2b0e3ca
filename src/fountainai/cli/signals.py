"""Stop requests for ``fountain up``: the signals a user or an orchestrator sends to end it."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class StopSignals:
    """SIGINT, SIGTERM and SIGHUP become a request to stop (counted: a second one means hurry)."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.count = 0

    def _handle(self, _signum: int, _frame: FrameType | None) -> None:
        self.count += 1
        self.event.set()

    @property
    def requested(self) -> bool:
        return self.event.is_set()

    def wait(self, seconds: float) -> bool:
        return self.event.wait(seconds)

    @contextmanager
    def installed(self) -> Iterator[StopSignals]:
        if threading.current_thread() is not threading.main_thread():
            yield self  # signals reach only the main thread; nothing to install
            return
        # SIGHUP: the terminal closed. The children have their own session and would not hear it.
        handled = [signal.SIGINT, signal.SIGTERM]
        if hasattr(signal, "SIGHUP"):
            handled.append(signal.SIGHUP)
        previous = {sig: signal.signal(sig, self._handle) for sig in handled}
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
