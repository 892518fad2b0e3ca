"""Gateway settings (env prefix ``FOUNTAIN_GATEWAY_``)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import SettingsConfigDict

from fountainai.core.config import PlatformSettings

RedisDownPolicy = Literal["open", "closed"]


class GatewaySettings(PlatformSettings):
    model_config = SettingsConfigDict(env_prefix="FOUNTAIN_GATEWAY_")

    service_name: ClassVar[str] = "gateway"
    default_port: ClassVar[int] = 8002

    routes_file: Path | None = Field(
        default=None,
        description=(
            "YAML routing table (see deploy/gateway-routes.yaml). Unset: one route per service, "
            "to the FOUNTAIN_<SERVICE>_URL settings."
        ),
    )
    redis_url: str = Field(
        default="",
        description=(
            "Redis for rate limits, revocations and the response cache, shared by every gateway "
            "replica (redis://host:6379/0). Empty: in-process (one gateway process)."
        ),
    )
    redis_pool_size: int = Field(default=64, ge=1, le=10_000, description="Redis connections.")
    redis_timeout_seconds: float = Field(
        default=2.0,
        gt=0,
        le=10,
        description=(
            "A Redis call slower than this counts as Redis down. Not lower than a busy event "
            "loop's stall (a 4-worker burst on 2 cores reached 0.5 s), or limits fail open "
            "under exactly the load they are for."
        ),
    )
    redis_down: RedisDownPolicy = Field(
        default="open",
        description=(
            "When Redis is unreachable: 'open' lets requests through unlimited (and counts them "
            "in gateway_ratelimit_store_errors_total), 'closed' answers 503."
        ),
    )
    rate_limit_user: str = Field(
        default="600/60",
        description="Default per-user quota, '<limit>/<window seconds>' ('' for none).",
    )
    rate_limit_key: str = Field(default="1200/60", description="Default per-API-key quota.")
    rate_limit_ip: str = Field(
        default="300/60",
        description="Default per-client-IP quota (every caller, signed in or not).",
    )
    rate_limit_algorithm: Literal["sliding-window", "token-bucket"] = Field(
        default="sliding-window", description="How the default quotas count."
    )
    trusted_proxies: str = Field(
        default="127.0.0.1/32,::1/128",
        description=(
            "Comma-separated addresses (CIDR) whose X-Forwarded-* are believed (a TLS front "
            "such as Caddy). The client IP is the right-most address not in this list."
        ),
    )
    revocation_cache_seconds: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="How long a 'not revoked' answer from Redis is reused (at most 1 s).",
    )
    breaker_failures: int = Field(
        default=5, ge=1, description="Consecutive failures that open a target's circuit."
    )
    breaker_open_seconds: float = Field(
        default=10.0, gt=0, description="How long an open circuit waits before a half-open probe."
    )
    health_interval_seconds: float = Field(
        default=5.0, gt=0, description="How often each target's health path is probed."
    )
    auth_revocation_refresh_seconds: float = Field(
        default=1.0,
        gt=0,
        validation_alias=AliasChoices(
            "FOUNTAIN_GATEWAY_REVOCATION_REFRESH_SECONDS",
            "FOUNTAIN_AUTH_REVOCATION_REFRESH_SECONDS",
        ),
        description=(
            "How often the KMS's revocation feed is refetched: the bound on how late a logout "
            "is honoured without Redis (services default to 5 s; the gateway to 1 s)."
        ),
    )
    cors_origins: str = Field(
        default="",
        description="Comma-separated origins allowed to call the gateway from a browser.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for cidr in comma_list(value):
            ipaddress.ip_network(cidr, strict=False)  # a ValueError names the bad entry
        return value


def comma_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())
