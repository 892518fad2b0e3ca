"""A pipe that ties a child service to ``fountain up``: when the parent goes, however it goes
(even SIGKILL, which it cannot catch), the child sees end-of-file and stops itself gracefully.

The children run in their own session so a terminal's Ctrl-C reaches only the parent; without
this, a parent that crashed or was killed would leave them running and holding their ports.
"""

from __future__ import annotations

import os
import signal
import threading

OPTION = "--lifeline-fd"
SUPPORTED = os.name == "posix"  # pass_fds, and SIGTERM as a graceful stop, are POSIX


class Lifeline:
    """The parent's end: keep it open while the child should live."""

    def __init__(self) -> None:
        self.child_fd, self._parent_fd = os.pipe()  # neither is inherited unless passed

    def passed(self) -> None:
        """The child has its copy of the read end; the parent's is no longer needed."""
        os.close(self.child_fd)

    def cut(self) -> None:
        if self._parent_fd >= 0:
            os.close(self._parent_fd)
            self._parent_fd = -1


def watch(fd: int) -> None:
    """The child's end: on end-of-file, ask this process to stop as SIGTERM would."""

    def wait_for_parent() -> None:
        while True:
            try:
                if not os.read(fd, 1):  # EOF: every write end is closed
                    break
            except InterruptedError:
                continue
            except OSError:
                break
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=wait_for_parent, name="fountain-lifeline", daemon=True).start()
