"""Checks that keep bench/gateway honest: every setup answers the upstream's exact 96 bytes, and
the gateway really runs its features (a request without a token is refused; request-ID,
rate-limit and security headers are sent; metrics are served; Redis runs the limiter's script)."""

from __future__ import annotations

import contextlib
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

import redis
from gateway_servers import BenchFailure
from redis.exceptions import RedisError

REDIS_URL = "redis://127.0.0.1:6379/15"
_SECURITY_HEADERS = (
    "strict-transport-security",
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes


def fetch(url: str, headers: Mapping[str, str] | None = None) -> Answer:
    """One GET; an HTTP error status is an answer too."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            found = {name.lower(): value for name, value in answer.headers.items()}
            return Answer(answer.status, found, answer.read())
    except urllib.error.HTTPError as exc:
        found = {name.lower(): value for name, value in exc.headers.items()}
        return Answer(exc.code, found, exc.read())


def require_echo(setup: str, url: str, *, authorization: str, expected: bytes) -> None:
    """``url`` must answer 200 with exactly the upstream's body, or ``setup`` is not measured."""
    try:
        answer = fetch(url, {"Authorization": authorization})
    except OSError as exc:
        raise BenchFailure(f"{setup}: {url} unreachable: {exc}") from exc
    if answer.status != 200 or answer.body != expected:
        raise BenchFailure(
            f"{setup}: {url} answered {answer.status} {answer.body[:300]!r}, not the echo body"
        )


def gateway_features(base_url: str, path: str, *, authorization: str) -> list[str]:
    """What the gateway was seen doing, one line each (observations, not pass/fail)."""
    url = base_url + path
    first = fetch(url, {"Authorization": authorization})
    second = fetch(url, {"Authorization": authorization})
    anonymous = fetch(url)
    lines = [f"gateway without a token: {anonymous.status} (expected 401)"]
    request_id = first.headers.get("x-request-id")
    lines.append(f"gateway X-Request-ID: {request_id or 'MISSING'}")
    limits = {name: value for name, value in second.headers.items() if "ratelimit" in name}
    lines.append(
        "gateway rate-limit headers: "
        + (", ".join(f"{name}: {value}" for name, value in sorted(limits.items())) or "MISSING")
    )
    security = [name for name in _SECURITY_HEADERS if name in first.headers]
    lines.append(f"gateway security headers: {', '.join(security) or 'MISSING'}")
    with contextlib.suppress(OSError):
        metrics = fetch(base_url + "/metrics")
        families = sum(line.startswith("# TYPE") for line in metrics.body.decode().splitlines())
        lines.append(f"gateway /metrics: {metrics.status}, {families} metric families")
    return lines


def redis_script_calls() -> int | None:
    """Scripts run by the Redis server so far (EVAL, EVALSHA, FCALL, from anyone); None if
    unreachable. A difference across the gateway's runs shows the limiter at work."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        stats = client.info("commandstats")
    except (RedisError, OSError):
        return None
    finally:
        client.close()
    calls = 0
    for name, value in stats.items():
        command = name.removeprefix("cmdstat_")
        if command in {"eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro"}:
            calls += int(value["calls"])
    return calls
