"""Full load for bench/gateway: ``wrk`` (closed loop: a fixed number of keep-alive connections,
each sending its next request when the last is answered), and what it reports."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from gateway_servers import BenchFailure, pinned

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass(frozen=True)
class FullLoad:
    """What ``wrk`` reported: requests per second and latency percentiles (ms)."""

    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int


def run_wrk(
    url: str,
    *,
    authorization: str,
    connections: int,
    duration_s: int,
    cpus: Sequence[int] | None,
) -> FullLoad:
    """``wrk`` with one thread (pinned to ``cpus``), ``connections`` keep-alive connections."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration_s}s", "--timeout", "5s"]
    command += ["--latency", "-H", f"Authorization: {authorization}", url]
    done = subprocess.run(
        pinned(command, cpus),
        capture_output=True,
        text=True,
        check=False,
        timeout=duration_s + 30,
    )
    if done.returncode != 0:
        raise BenchFailure(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> FullLoad:
    """The figures of ``wrk --latency`` output."""

    def latency(percent: str) -> float:
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
        if found is None:
            raise BenchFailure(f"wrk printed no {percent}% latency:\n{output}")
        return float(found[1]) * _UNITS_MS[found[2]]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    if rate is None or total is None:
        raise BenchFailure(f"wrk printed no throughput:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return FullLoad(
        requests=int(total[1]),
        requests_per_s=float(rate[1]),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(count) for count in errors.groups()) if errors else 0,
    )
