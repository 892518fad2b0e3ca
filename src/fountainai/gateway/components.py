"""Everything the gateway holds while it runs, opened in its lifespan and closed after: the
upstream connection pool, Redis (or the in-process stores), the authenticator, the target pools
with their health checker, and the proxy built from them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Final

import aiohttp
from redis.asyncio import BlockingConnectionPool, Redis

from fountainai import __version__
from fountainai.core.auth import remote_authenticator
from fountainai.core.auth.revocation_redis import RedisRevocationChecker
from fountainai.gateway.cache import InProcessCache, RedisCache
from fountainai.gateway.config import GatewaySettings, comma_list
from fountainai.gateway.edge_auth import EdgeAuth
from fountainai.gateway.forwarding import parse_networks
from fountainai.gateway.limits import RateLimitGate, default_rules
from fountainai.gateway.metrics import GatewayMetrics
from fountainai.gateway.openapi import AggregatedOpenApi
from fountainai.gateway.proxy import Proxy
from fountainai.gateway.proxy_cache import ProxyCache
from fountainai.gateway.ratelimit import InProcessLimiter, RedisLimiter
from fountainai.gateway.redis_wire import PipelinedRedis
from fountainai.gateway.routes import RouteTable
from fountainai.gateway.upstream import (
    ActiveHealthChecker,
    Backoff,
    BreakerState,
    Target,
    TargetPool,
    build_pools,
)
from fountainai.gateway.upstream_call import UpstreamCaller

HEALTH_TIMEOUT_SECONDS: Final = 2.0
# Waiting for a free Redis connection is queueing under load, not Redis being down.
REDIS_POOL_WAIT_SECONDS: Final = 5.0
# aiohttp adds these unless told not to; a proxy forwards the client's, or none.
_NO_AUTO_HEADERS: Final = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


@dataclass
class Components:
    proxy: Proxy
    pools: dict[str, TargetPool]
    checker: ActiveHealthChecker
    session: aiohttp.ClientSession
    redis: Redis | None  # redis-py: the cache, readiness
    openapi: AggregatedOpenApi
    auth: EdgeAuth


def open_redis(settings: GatewaySettings) -> Redis | None:
    if not settings.redis_url:
        return None
    timeout = settings.redis_timeout_seconds
    pool = BlockingConnectionPool.from_url(
        settings.redis_url,
        max_connections=settings.redis_pool_size,
        timeout=REDIS_POOL_WAIT_SECONDS,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
    )
    return Redis(connection_pool=pool)


@asynccontextmanager
async def open_components(
    settings: GatewaySettings,
    table: RouteTable,
    metrics: GatewayMetrics,
    own_openapi: dict[str, Any],
) -> AsyncIterator[Components]:
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=60, ttl_dns_cache=60)
    session = aiohttp.ClientSession(
        connector=connector, auto_decompress=False, skip_auto_headers=_NO_AUTO_HEADERS
    )
    redis = open_redis(settings)
    hot = (
        None
        if redis is None
        else PipelinedRedis(settings.redis_url, timeout=settings.redis_timeout_seconds)
    )
    try:
        async with remote_authenticator(settings) as authenticator:
            auth = EdgeAuth(
                authenticator,
                revocations=None
                if hot is None
                else RedisRevocationChecker(hot, cache_seconds=settings.revocation_cache_seconds),
                twofa_url=settings.twofa_url,
            )
            limiter = InProcessLimiter() if hot is None else RedisLimiter(hot)
            store = InProcessCache() if redis is None else RedisCache(redis)
            pools = build_pools(
                table,
                failure_threshold=settings.breaker_failures,
                open_seconds=settings.breaker_open_seconds,
                on_change=lambda service, url, _old, new: metrics.set_breaker(
                    service, url, new.value
                ),
            )
            _initial_metrics(pools, metrics)
            checker = ActiveHealthChecker(
                pools,
                session,
                interval=settings.health_interval_seconds,
                timeout=HEALTH_TIMEOUT_SECONDS,
                path_for=lambda service: table.by_service[service].health_path,
                on_change=lambda service, target, healthy: metrics.target_health.labels(
                    service, target.url
                ).set(1 if healthy else 0),
            )
            proxy = Proxy(
                auth=auth,
                limits=RateLimitGate(
                    limiter,
                    defaults=default_rules(settings),
                    redis_down=settings.redis_down,
                    on_decision=metrics.count_decision,
                ),
                pools=pools,
                caller=UpstreamCaller(session, backoff=Backoff()),
                cache=ProxyCache(store, metrics),
                metrics=metrics,
                trusted_proxies=parse_networks(comma_list(settings.trusted_proxies)),
                hsts=settings.hsts,
            )
            openapi = AggregatedOpenApi.for_routes(
                table,
                session,
                title="FountainAI API (through the gateway)",
                version=__version__,
                gateway_paths=own_openapi.get("paths", {}),
                gateway_components=own_openapi.get("components", {}),
            )
            checker.start()
            try:
                yield Components(proxy, pools, checker, session, redis, openapi, auth)
            finally:
                await checker.stop()
    finally:
        await session.close()
        if redis is not None:
            await redis.aclose(close_connection_pool=True)
        if hot is not None:
            await hot.aclose()


def _initial_metrics(pools: dict[str, TargetPool], metrics: GatewayMetrics) -> None:
    for service, pool in pools.items():
        for target in pool.targets:
            _show(metrics, service, target)


def _show(metrics: GatewayMetrics, service: str, target: Target) -> None:
    metrics.target_health.labels(service, target.url).set(1 if target.healthy else 0)
    metrics.set_breaker(service, target.url, BreakerState(target.breaker.state).value)
