"""How much of the machine's CPU went to processes outside bench/gateway during a run: on a shared
box, well above 0% means the figures of that run are noisy (re-run on a quiet machine)."""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections.abc import Sequence
from pathlib import Path

from gateway_servers import Server

CLOCK_TICKS, CPUS = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1


def _cpu_seconds(pid: int) -> float:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
    return 0.0


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU seconds so far of these processes."""
    return sum(_cpu_seconds(pid) for pid in pids)


def _machine_busy_seconds() -> float:
    ticks = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS  # all but idle and iowait


def _redis_pids() -> list[int]:
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError, ValueError):
            if comm.read_text().strip() == "redis-server":
                found.append(int(comm.parent.name))
    return found


class OthersMeter:
    """The share (%) of all CPUs, over the ``with`` block, used by neither ``servers``' process
    trees, nor Redis (the gateway's store), nor this process, nor its finished children (wrk)."""

    def __init__(self, servers: Sequence[Server]) -> None:
        self._pids = [pid for server in servers for pid in server.pids()] + _redis_pids()
        self.others_pct = 0.0
        self._start = (0.0, 0.0, 0.0)

    def _take(self) -> tuple[float, float, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        ours = cpu_seconds(self._pids)
        ours += own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
        return time.monotonic(), _machine_busy_seconds(), ours

    def __enter__(self) -> OthersMeter:
        self._start = self._take()
        return self

    def __exit__(self, *exc_info: object) -> None:
        end = self._take()
        wall, busy, ours = (after - before for after, before in zip(end, self._start, strict=True))
        if wall > 0:
            self.others_pct = max(0.0, busy - ours) / (wall * CPUS) * 100
