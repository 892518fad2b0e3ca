"""Active health checks: every ``interval`` seconds, GET each target's health path.

A target is taken out of rotation after ``unhealthy_after`` failed checks in a row (a non-2xx
answer, a timeout, no connection) and put back after ``healthy_after`` good ones, its circuit
closed: the way back for a target that passive checks alone would leave disabled. A target the
checks never took out, whose circuit the gateway's own requests opened, goes half-open on a good
check, so the next request probes it rather than waiting out the open period.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping

import aiohttp

from fountainai.core.logging import get_logger
from fountainai.gateway.upstream.targets import Target, TargetPool

HealthListener = Callable[[str, Target, bool], None]
"""``(service, target, healthy)``: an active check changed a target's health."""

DEFAULT_HEALTH_PATH = "/health/ready"

logger = get_logger(__name__)


def _default_path(_: str) -> str:
    return DEFAULT_HEALTH_PATH


class ActiveHealthChecker:
    """Probes every target of ``pools`` concurrently, through the caller's ``session``."""

    def __init__(
        self,
        pools: Mapping[str, TargetPool],
        session: aiohttp.ClientSession,
        *,
        interval: float,
        timeout: float,
        healthy_after: int = 1,
        unhealthy_after: int = 2,
        path_for: Callable[[str], str] = _default_path,
        on_change: HealthListener | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if interval <= 0 or timeout <= 0:
            raise ValueError("interval and timeout must be positive")
        if healthy_after < 1 or unhealthy_after < 1:
            raise ValueError("healthy_after and unhealthy_after must be at least 1")
        self.pools = pools
        self.session = session
        self.interval = interval
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.healthy_after = healthy_after
        self.unhealthy_after = unhealthy_after
        self.path_for = path_for
        self.on_change = on_change
        self._wall_clock = wall_clock
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Check now, then every ``interval`` seconds, until ``stop()``."""
        if self.running:
            raise RuntimeError("the health checker is already running")
        self._task = asyncio.create_task(self._run(), name="gateway-health-checks")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def check_once(self) -> None:
        """One round: every target probed at once; returns when all have answered or timed out."""
        probes = [
            self._check(service, target)
            for service, pool in self.pools.items()
            for target in pool.targets
        ]
        await asyncio.gather(*probes)

    async def _run(self) -> None:
        while True:
            try:
                await self.check_once()
            except Exception:  # a bug here must not end health checking for good
                logger.exception("health check round failed")
            await asyncio.sleep(self.interval)

    async def _check(self, service: str, target: Target) -> None:
        error = await self._probe(f"{target.url}{self.path_for(service)}")
        self._record(service, target, error)

    async def _probe(self, url: str) -> str | None:
        """None when the target answered 2xx; otherwise what went wrong."""
        try:
            async with self.session.get(
                url, timeout=self.timeout, allow_redirects=False
            ) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"HTTP {response.status}"
        except TimeoutError:
            return f"timed out after {self.timeout.total}s"
        except Exception as exc:  # any failure to get a 2xx is an unhealthy answer
            return f"{type(exc).__name__}: {exc}"

    def _record(self, service: str, target: Target, error: str | None) -> None:
        target.last_check_at = self._wall_clock()
        target.last_error = error
        if error is None:
            target.check_failures = 0
            target.check_successes += 1
            if target.check_successes < self.healthy_after:
                return
            if not target.healthy:
                target.healthy = True
                target.breaker.reset()
                logger.info("upstream target healthy", service=service, target=target.url)
                self._notify(service, target)
            else:
                # The circuit opened on the gateway's own requests and the target came back
                # before the checks had taken it out: the next request probes it now.
                target.breaker.probe_now()
        else:
            target.check_successes = 0
            target.check_failures += 1
            if target.healthy and target.check_failures >= self.unhealthy_after:
                target.healthy = False
                logger.warning(
                    "upstream target unhealthy", service=service, target=target.url, error=error
                )
                self._notify(service, target)

    def _notify(self, service: str, target: Target) -> None:
        if self.on_change is None:
            return
        try:
            self.on_change(service, target, target.healthy)
        except Exception:  # a metrics hook's bug must not stop the other probes
            logger.exception("health listener failed", service=service, target=target.url)
