"""KMS settings (env prefix ``FOUNTAIN_KMS_``)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from fountainai.core.config import ServiceSettings


class KmsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FOUNTAIN_KMS_")

    service_name: ClassVar[str] = "kms"
    default_port: ClassVar[int] = 8003

    master_key: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "Encrypts signing keys at rest: 32 random bytes, base64url. Empty in development: "
            "one is generated into <data_dir>/kms-master.key; production refuses an empty key."
        ),
    )
    access_token_seconds: int = Field(
        default=600, ge=300, le=900, description="Access JWT lifetime (5-15 minutes)."
    )
    refresh_token_idle_seconds: int = Field(
        default=14 * 86400, ge=300, description="A refresh token unused this long expires."
    )
    refresh_token_absolute_seconds: int = Field(
        default=30 * 86400,
        ge=300,
        description="A login's refresh tokens all end this long after it.",
    )
    refresh_reuse_grace_seconds: int = Field(
        default=10,
        ge=0,
        le=60,
        description="A just-spent refresh token may be replayed this long (parallel refreshes).",
    )
    self_registration: Literal["reader", "closed"] = Field(
        default="reader",
        description="After bootstrap: 'reader' = anyone joins as reader; 'closed' = admins only.",
    )
    password_min_length: int = Field(default=8, ge=8, le=64)
    argon2_time_cost: int = Field(default=3, ge=1, le=10, description="Argon2id iterations.")
    argon2_memory_kib: int = Field(
        default=65536, ge=8, le=1_048_576, description="Argon2id memory per hash (KiB)."
    )
    argon2_parallelism: int = Field(default=4, ge=1, le=16, description="Argon2id lanes.")
    hash_concurrency: int = Field(
        default=4, ge=1, le=64, description="Password hashes computed at once (memory bound)."
    )
    login_max_failures: int = Field(
        default=10, ge=1, description="Failures per account and IP before a temporary lockout."
    )
    login_ip_max_failures: int = Field(
        default=50, ge=1, description="Failures per IP (any account) before 429 for that IP."
    )
    login_failure_window_seconds: int = Field(
        default=900, ge=1, description="Failures older than this are forgotten."
    )
    lockout_seconds: int = Field(default=900, ge=1, description="How long a lockout lasts.")
    mfa_ticket_seconds: int = Field(
        default=300,
        ge=60,
        le=900,
        description="How long the ticket of a right password waits for the second factor.",
    )
    mfa_ticket_max_attempts: int = Field(
        default=5, ge=1, le=10, description="Codes tried against one ticket before it is dead."
    )
    api_key_rotation_grace_seconds: int = Field(
        default=86400, ge=0, description="A rotated API key keeps working this long."
    )
    api_key_default_days: int = Field(
        default=90, ge=1, le=3650, description="API key lifetime when none is asked for."
    )
    signing_key_publish_lead_seconds: int = Field(
        default=600,
        ge=0,
        description="A rotated-in signing key is published this long before it signs.",
    )
    revocation_redis_url: str = Field(
        default="",
        description=(
            "Redis the gateways check per request (redis://host:6379/0): each revocation is "
            "published there as it commits. Empty: off (verifiers poll the feed only)."
        ),
    )

    @field_validator("revocation_redis_url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL, or empty")
        return value
